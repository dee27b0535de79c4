using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using ToxicFunctions.LocalHost;

namespace ToxicFunctions.Tests.Infrastructure;

/// <summary>The local Functions host, started in-process on a free loopback port with the given settings.</summary>
public sealed class RunningLocalHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningLocalHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The host's services (its Durable Task client, for example).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a local host with <paramref name="settings"/> on top of the tests' defaults; <paramref name="configure"/> may add services (an exporter, say).</summary>
    public static async Task<RunningLocalHost> StartAsync(IDictionary<string, string?> settings, Action<WebApplicationBuilder>? configure = null)
    {
        var port = ToxicCli.FreePort();
        var effective = new Dictionary<string, string?>
        {
            // Tests switch on the stream parts they exercise: slots are cluster-wide, one per test database.
            ["LocalHost:CdcRelay:Enabled"] = "false",
            ["LocalHost:KafkaTrigger:Enabled"] = "false",

            // The daily training run would start inside whichever test runs at its hour (LocalHostTimerTests switch it on).
            ["AzureWebJobs.ScheduledTrainingPipeline.Disabled"] = "true",

            // Encoding runs inside the test's host, as it did before the encoder worker (EncoderWorkerTests start one).
            ["LocalHost:EncodingTimer:OwnProcess"] = "false",
        };
        foreach (var (key, value) in settings)
        {
            effective[key] = value;
        }

        var args = effective.Append(new("LocalHost:Urls", $"http://127.0.0.1:{port}"))
            .Select(s => $"--{s.Key}={s.Value}")
            .ToArray();
        var app = LocalFunctionHost.Build(args, builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        return new RunningLocalHost(app, new Uri($"http://127.0.0.1:{port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        await HostShutdown.StopAndDisposeAsync(_app);
    }


}
