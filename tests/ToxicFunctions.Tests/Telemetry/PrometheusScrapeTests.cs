using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using ToxicFunctions.Storage;
using ToxicFunctions.Tests.Deploy;
using ToxicFunctions.Tests.Infrastructure;
using ToxicFunctions.Tests.Pipeline;

namespace ToxicFunctions.Tests.Telemetry;

/// <summary>
/// The local host's metrics as a real Prometheus server stores them: a server scraping the host every second, with
/// deploy/prometheus/alerts.yml loaded, while the host runs a training pipeline, answers scoring requests (one before
/// the champion exists) and loads a blob with a malformed row; each family is then read back through Prometheus'
/// query API. The host's exposition passes <c>promtool check metrics</c>, every alert rule evaluates without error on
/// the real series, and every dashboard query is accepted.
/// </summary>
public sealed class PrometheusScrapeTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly TimeSpan s_stored = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_real_Prometheus_stores_every_family_the_work_exercises()
    {
        var bucket = $"test-prom-{Guid.NewGuid():N}"[..24];
        var container = $"prom-{Guid.NewGuid():N}"[..24];
        await database.Get<S3RawObjects>().EnsureBucketAsync(bucket, default);
        await PipelineHarness.IngestSampleAsync(database);
        await using var host = await RunningLocalHost.StartAsync(new Dictionary<string, string?>
        {
            ["Postgres:ConnectionString"] = database.ConnectionString,
            ["Postgres:MigrateOnStartup"] = "false",
            ["RawBlobContainer"] = container,
            ["LocalHost:BlobTrigger:PollInterval"] = "00:00:00.200",
            ["Pipeline:ArtifactsBucket"] = bucket,
            ["S3:ReportsBucket"] = bucket,
            ["Telemetry:SampleInterval"] = "00:00:01",
        });
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await using var prometheus = await RunningPrometheus.StartAsync(host.BaseAddress, [Repository.PathOf("deploy/prometheus/alerts.yml")]);

        // Before any champion: a failed scoring request.
        using (var early = await http.PostAsJsonAsync("api/score", new { text = "hello" }))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
        }

        await RunPipelineAsync(http);
        for (var i = 0; i < 5; i++)
        {
            using var scored = await http.PostAsJsonAsync("api/score", new { texts = new[] { $"thanks for the edit number {i}", "you are an idiot" } });
            Assert.Equal(HttpStatusCode.OK, scored.StatusCode);
        }

        await LoadBlobAsync(container);

        // The host's exposition as Prometheus reads it: promtool's lint finds nothing.
        var exposition = await ScrapeTextAsync(http);
        var lint = ChildProcess.Run(
            "promtool", ["check", "metrics"], Path.GetTempPath(), TimeSpan.FromMinutes(1),
            "promtool comes with Debian's prometheus package: scripts/services.sh up installs it.", exposition);
        Assert.True(lint.ExitCode == 0 && lint.Output.Trim().Length == 0 && lint.Error.Trim().Length == 0, $"promtool check metrics:\n{lint.Output}{lint.Error}");

        // Each family the work exercised, read back from Prometheus with a value the work gave it.
        var job = $"job=\"{RunningPrometheus.Job}\"";
        var expected = new Dictionary<string, Func<double, bool>>(StringComparer.Ordinal)
        {
            [$"sum(toxic_loads_total{{{job}, outcome=\"Loaded\"}})"] = v => v >= 1,
            [$"sum(toxic_rows_ingested_total{{{job}}})"] = v => v >= 3,
            [$"sum(toxic_rows_rejected_total{{{job}}})"] = v => v >= 1,
            [$"sum(toxic_scoring_request_duration_seconds_count{{{job}, outcome=\"scored\"}})"] = v => v >= 5,
            [$"sum(toxic_scoring_request_duration_seconds_count{{{job}, outcome=\"failed\"}})"] = v => v >= 1,
            [$"sum(toxic_scoring_request_duration_seconds_bucket{{{job}, outcome=\"scored\", le=\"+Inf\"}})"] = v => v >= 5,
            [$"sum(toxic_scoring_batch_size_sum{{{job}}})"] = v => v >= 10,
            [$"max(toxic_scoring_model_version{{{job}}})"] = v => v >= 1,
            [$"sum(toxic_validation_runs_total{{{job}, suite=\"staging\"}})"] = v => v >= 1,
            [$"count(toxic_validation_expectations_failed_total{{{job}}})"] = v => v >= 1,
            [$"sum(toxic_training_duration_seconds_count{{{job}}})"] = v => v >= 1,
            [$"sum(toxic_training_duration_seconds_sum{{{job}}})"] = v => v > 0,
            [$"max(toxic_training_auc{{{job}}})"] = v => v is > 0.5 and <= 1,
            [$"max(toxic_training_f1{{{job}}})"] = v => v is > 0 and <= 1,

            // Sampled every second from the dev broker and the test database: there, whatever their value.
            [$"count(toxic_stream_consumer_lag{{{job}}})"] = v => v >= 1,
            [$"count(toxic_encoder_backlog{{{job}}})"] = v => v >= 1,
        };
        var last = await PollAsync(prometheus, expected);
        var unmet = expected.Keys.Where(q => !last.TryGetValue(q, out var v) || !expected[q](v)).ToList();
        Assert.True(unmet.Count == 0, $"not stored as expected within {s_stored}: {string.Join("; ", unmet.Select(q => $"{q} = {(last.TryGetValue(q, out var v) ? v : double.NaN)}"))}");

        // Every family of the host's exposition is in Prometheus under its name.
        var scraped = PrometheusSample.Parse(exposition).Select(s => s.Name).Where(n => n.StartsWith("toxic_", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var stored = (await prometheus.QueryAsync($"count by (__name__) ({{__name__=~\"toxic_.+\", {job}}})")).Select(s => s.Labels["__name__"]).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(scraped.Except(stored, StringComparer.Ordinal));

        await AssertRulesEvaluateAsync(prometheus);

        // The dashboard's queries, as Grafana sends them for the job and a 1-minute rate interval.
        foreach (var expression in GrafanaDashboardTests.Expressions())
        {
            await prometheus.QueryAsync(expression.Replace("$__rate_interval", "1m", StringComparison.Ordinal).Replace("$job", ".+", StringComparison.Ordinal));
        }
    }

    private static async Task RunPipelineAsync(HttpClient http)
    {
        using var start = await http.PostAsync("api/pipelines/training", null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var statusUri = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusQueryGetUri").GetString()!;
        var status = await PipelineStatus.WaitForEndAsync(http, statusUri);
        Assert.Equal("Completed", status.GetProperty("runtimeStatus").GetString());
    }

    private async Task LoadBlobAsync(string container)
    {
        var blobs = database.Get<BlobServiceClient>().GetBlobContainerClient(container);
        await blobs.CreateIfNotExistsAsync();
        await blobs.GetBlobClient("scraped.csv").UploadAsync(
            new BinaryData(Encoding.UTF8.GetBytes("comment_text,labels\nhello there,0\nyou fool,1\nthird,0\nbad label,7\n")), overwrite: true);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await database.ScalarAsync<long?>(
            "SELECT rows_loaded FROM staging.loads WHERE store = 'blob' AND container = @c AND object_key = 'scraped.csv' AND status = 'loaded'", ("c", container)) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the blob was not loaded within 30 s");
            await Task.Delay(200);
        }
    }

    private static async Task<string> ScrapeTextAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
        request.Headers.TryAddWithoutValidation("Accept", "text/plain;version=0.0.4");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Queries until every expectation holds or <see cref="s_stored"/> has passed; the last value of each query.</summary>
    private static async Task<Dictionary<string, double>> PollAsync(RunningPrometheus prometheus, IReadOnlyDictionary<string, Func<double, bool>> expected)
    {
        var last = new Dictionary<string, double>(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + s_stored;
        while (true)
        {
            foreach (var (query, holds) in expected)
            {
                if (!last.TryGetValue(query, out var value) || !holds(value))
                {
                    var result = await prometheus.QueryAsync(query);
                    if (result.Count > 0)
                    {
                        last[query] = result[0].Value;
                    }
                }
            }

            if (expected.All(e => last.TryGetValue(e.Key, out var v) && e.Value(v)) || DateTime.UtcNow > deadline)
            {
                return last;
            }

            await Task.Delay(500);
        }
    }

    /// <summary>Every rule of alerts.yml loaded and evaluated on the stored series without an error.</summary>
    private static async Task AssertRulesEvaluateAsync(RunningPrometheus prometheus)
    {
        var alerts = Regex.Count(await File.ReadAllTextAsync(Repository.PathOf("deploy/prometheus/alerts.yml")), @"(?m)^\s*- alert: ");
        var deadline = DateTime.UtcNow + s_stored;
        while (true)
        {
            var body = await prometheus.Http.GetFromJsonAsync<JsonElement>("api/v1/rules");
            var rules = body.GetProperty("data").GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("rules").EnumerateArray()).ToList();
            var failing = rules.Where(r => r.GetProperty("health").GetString() != "ok")
                .Select(r => $"{r.GetProperty("name").GetString()}: {r.GetProperty("health").GetString()} {(r.TryGetProperty("lastError", out var e) ? e.GetString() : "")}")
                .ToList();
            if (rules.Count == alerts && failing.Count == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{rules.Count} of {alerts} rules loaded, not evaluated cleanly within {s_stored}: {string.Join("; ", failing)}\n{prometheus.Log}");
            await Task.Delay(500);
        }
    }
}
