using Microsoft.Extensions.Options;
using ToxicFunctions.Functions.Ingestion;
using ToxicFunctions.Functions.Pipelines;
using ToxicFunctions.Functions.Streaming;

namespace ToxicFunctions.LocalHost;

/// <summary>
/// Wires the Function App's classes to local triggers: each HTTP function at the route of its attribute under /api, the blob trigger,
/// the Kafka trigger, the CDC relay that feeds it, and the timer functions on their schedules (the one that encodes staged
/// comments in an encoder worker process of its own).
/// </summary>
internal static class LocalFunctionTriggers
{
    public static IServiceCollection AddLocalFunctionTriggers(this IServiceCollection services)
    {
        // IActionResult results of the functions are executed by MVC's result executors, as in the Functions host.
        services.AddControllers();
        services.AddTransient<IngestRawBlob>();
        services.AddOptions<BlobTriggerOptions>().BindConfiguration(BlobTriggerOptions.Section);
        services.AddHostedService<BlobTriggerPoller>();
        services.AddTransient<StreamCommentChanges>();
        services.AddOptions<KafkaTriggerOptions>().BindConfiguration(KafkaTriggerOptions.Section);
        services.AddHostedService<KafkaTriggerListener>();
        services.AddOptions<CdcRelayServiceOptions>().BindConfiguration(CdcRelayServiceOptions.Section);
        services.AddHostedService<CdcRelayService>();
        services.AddOptions<EncodingTimerOptions>().BindConfiguration(EncodingTimerOptions.Section);
        services.AddHostedService(sp => new TimerTriggerService(
            sp, sp.GetRequiredService<IConfiguration>(), HostTimers(sp.GetRequiredService<IOptions<EncodingTimerOptions>>().Value), sp.GetRequiredService<ILogger<TimerTriggerService>>()));
        services.AddHostedService<EncoderWorkerProcess>();
        return services;
    }

    /// <summary>
    /// The timer functions this host runs: all of them, except <see cref="EncodeStagedComments"/> when it runs in the
    /// encoder worker (<see cref="EncodingTimerOptions.OwnProcess"/>) or not at all.
    /// </summary>
    public static IEnumerable<TimerFunction> HostTimers(EncodingTimerOptions encoding) =>
        TimerFunction.Discover(typeof(S3Events).Assembly)
            .Where(f => f.Name != nameof(EncodeStagedComments) || (encoding.Enabled && !encoding.OwnProcess));

    /// <summary>
    /// Maps every HTTP function of the Function App (but those switched off by <c>AzureWebJobs.NAME.Disabled</c>) at the
    /// methods and route of its attributes; the Durable start
    /// route, which the Functions host answers through its own extension, is served by <see cref="LocalPipelines"/>.
    /// </summary>
    public static void MapLocalFunctionRoutes(this WebApplication app)
    {
        var functions = HttpFunction.Discover(typeof(S3Events).Assembly).Where(f => !FunctionSwitches.IsDisabled(app.Configuration, f.Name));
        app.MapHttpFunctions(functions, LocalPipelines.Handlers);
        app.MapDurableManagement();
        app.MapGet("/", () => Results.Text("ToxicFunctions local host\n"));
    }
}
