using Microsoft.Extensions.Options;
using ToxicFunctions.Functions.Ingestion;
using ToxicFunctions.Functions.Pipelines;
using ToxicFunctions.Functions.Streaming;
using ToxicFunctions.Streaming;

namespace ToxicFunctions.LocalHost;

/// <summary>
/// Wires the Function App's functions to local triggers, each found by reflection from its <c>[Function]</c> and trigger
/// attributes as the Functions host finds it: each HTTP function at the methods and route of its attribute under /api,
/// each blob function polling the container of its path, each Kafka function consuming its topic as its group, each
/// timer function on its schedule (the one that encodes staged comments in an encoder worker process of its own), and
/// the CDC relay that feeds the Kafka topic. The Durable functions run on the in-process backend
/// (<see cref="LocalPipelines"/>).
/// </summary>
internal static class LocalFunctionTriggers
{
    public static IServiceCollection AddLocalFunctionTriggers(this IServiceCollection services)
    {
        // IActionResult results of the functions are executed by MVC's result executors, as in the Functions host.
        services.AddControllers();
        services.AddOptions<BlobTriggerOptions>().BindConfiguration(BlobTriggerOptions.Section);
        foreach (var function in BlobFunction.Discover(typeof(S3Events).Assembly))
        {
            BlobTriggerPoller.EnsureBindable(function);
            services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<BlobTriggerPoller>(sp, function));
        }

        services.AddOptions<KafkaTriggerOptions>().BindConfiguration(KafkaTriggerOptions.Section);
        foreach (var function in KafkaFunction.Discover(typeof(S3Events).Assembly))
        {
            services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<KafkaTriggerListener>(sp, function));
        }

        // The trigger's protocol and SASL mechanism are built in; settings that say otherwise stop the host at start.
        services.AddSingleton<IValidateOptions<KafkaOptions>, KafkaTriggerSecurityValidator>();

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
