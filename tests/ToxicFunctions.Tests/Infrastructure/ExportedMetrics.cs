using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ToxicFunctions.Ingestion;
using ToxicFunctions.Storage;
using ToxicFunctions.Streaming;
using ToxicFunctions.Telemetry;

namespace ToxicFunctions.Tests.Infrastructure;

/// <summary>
/// The Prometheus names the app really exports, the one list the alert rules and the dashboard are checked against:
/// a host of its own registers the metrics as the product's hosts do (AddToxicTelemetryExport,
/// MapPrometheusScrapingEndpoint), one measurement goes to every instrument of <see cref="ToxicMetrics"/> through its
/// public methods, and <c>GET /metrics</c> is read back. Scraped once per test run.
/// </summary>
internal sealed partial record ExportedMetrics(
    IReadOnlyList<string> Instruments,
    IReadOnlyList<string> Unmeasured,
    IReadOnlyDictionary<string, string?> FamilyOf,
    IReadOnlySet<string> Families,
    IReadOnlySet<string> Series)
{
    /// <summary>What an exporter adds beside the meter's own families (the resource's attributes).</summary>
    private static readonly string[] s_exporterFamilies = ["target_info"];

    /// <summary>The suffixes OpenTelemetry's Prometheus exporter may add to an instrument's name: its unit, then <c>_total</c> on counters.</summary>
    private static readonly string[] s_suffixes = ["", "_total", "_seconds", "_seconds_total", "_bytes", "_bytes_total", "_ratio"];

    private static readonly Lazy<Task<ExportedMetrics>> s_exported = new(ScrapeAsync);

    /// <summary>The names, scraped on first use.</summary>
    public static Task<ExportedMetrics> GetAsync() => s_exported.Value;

    /// <summary>
    /// The metric names in a PromQL expression that are the app's (prefix <c>toxic_</c>): a selector of a series the
    /// app never exports would find nothing, and an alert on it would never fire.
    /// </summary>
    public static IReadOnlyList<string> MetricNamesIn(string expression) =>
        [.. AppMetricName().Matches(expression).Select(m => m.Value).Distinct(StringComparer.Ordinal)];

    private static async Task<ExportedMetrics> ScrapeAsync()
    {
        var port = ToxicCli.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddToxicTelemetryExport("toxic-metric-names", builder.Configuration);
        var app = builder.Build();
        app.MapPrometheusScrapingEndpoint();
        await app.StartAsync();
        try
        {
            // Only this host's instruments: other tests' hosts in this process have instruments of the same names.
            var metrics = app.Services.GetRequiredService<ToxicMetrics>();
            var instruments = metrics.Instruments.ToDictionary(i => i.Name, StringComparer.Ordinal);
            var measured = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
            using var listener = new MeterListener();
            listener.SetMeasurementEventCallback<long>((instrument, _, _, _) => measured[instrument.Name] = true);
            listener.SetMeasurementEventCallback<int>((instrument, _, _, _) => measured[instrument.Name] = true);
            listener.SetMeasurementEventCallback<double>((instrument, _, _, _) => measured[instrument.Name] = true);
            listener.Start();
            foreach (var instrument in metrics.Instruments)
            {
                listener.EnableMeasurementEvents(instrument);
            }

            RecordOnEveryInstrument(metrics);
            listener.RecordObservableInstruments();

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
            var exposition = await http.GetStringAsync("metrics");
            var families = TypeLine().Matches(exposition).Select(m => m.Groups["name"].Value)
                .Except(s_exporterFamilies, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
            var series = PrometheusSample.Parse(exposition).Select(s => s.Name)
                .Where(n => !s_exporterFamilies.Contains(n, StringComparer.Ordinal)).ToHashSet(StringComparer.Ordinal);
            var familyOf = instruments.Keys.ToDictionary(
                name => name,
                name => s_suffixes.Select(suffix => name.Replace('.', '_') + suffix).FirstOrDefault(families.Contains),
                StringComparer.Ordinal);
            return new ExportedMetrics(
                [.. instruments.Keys.Order(StringComparer.Ordinal)],
                [.. instruments.Keys.Where(n => !measured.ContainsKey(n)).Order(StringComparer.Ordinal)],
                familyOf,
                families,
                series);
        }
        finally
        {
            await HostShutdown.StopAndDisposeAsync(app);
        }
    }

    /// <summary>One measurement on each instrument, through the methods the product calls (a new instrument needs its call here).</summary>
    private static void RecordOnEveryInstrument(ToxicMetrics metrics)
    {
        var now = DateTimeOffset.UtcNow;
        metrics.RecordLoad(new IngestResult(new ObjectRef("s3", "raw", "comments.csv", "v1", 100), IngestOutcome.Loaded, 1, 3, 1, null));
        metrics.RecordScoringRequest(0.004, scored: true);
        metrics.RecordScoringBatch(2, "champion-model", 1);
        metrics.RecordStreamBatch(1, [now.AddMilliseconds(-80)], now, 1, [new OffsetGap("toxic-staging", "toxic.source.comments", 0, 10, 12, 0)]);
        metrics.RecordValidation("staging", "Failed", 1, 1);
        metrics.RecordTraining("champion-model", 12.5, 0.97, 0.8);
        metrics.SetConsumerLag([new ConsumerLag("toxic.source.comments", 0, 5)]);
        metrics.SetEncoderBacklog(7);
    }

    [GeneratedRegex(@"(?m)^# TYPE (?<name>[a-zA-Z_:][a-zA-Z0-9_:]*) ")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"\btoxic_[a-zA-Z0-9_:]*")]
    private static partial Regex AppMetricName();
}
