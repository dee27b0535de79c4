using System.Diagnostics;
using ToxicFunctions.Functions.Pipelines;

namespace ToxicFunctions.LocalHost;

/// <summary>
/// The encoder worker: the local host's binary in a second role that runs only the timer of
/// <see cref="EncodeStagedComments"/>, in a process of its own, so that encoding (CPU-bound, minutes for a large
/// backlog) never takes the processors from the Kafka consumer, the CDC relay, ingestion and scoring. The host starts it
/// (<see cref="EncoderWorkerProcess"/>) at a low CPU priority; it stops when the host's process is gone.
/// </summary>
internal static class EncoderWorker
{
    /// <summary>The argument that selects this role.</summary>
    public const string RoleArgument = "--LocalHost:Role=encoder-worker";

    /// <summary>The argument that names the host's process id, which the worker watches.</summary>
    public const string ParentSetting = "LocalHost:EncoderWorker:ParentProcessId";

    public static bool IsRequested(IEnumerable<string> args) => args.Contains(RoleArgument, StringComparer.Ordinal);

    public static IHost Build(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Configuration.AddLocalDevelopmentDefaults();
        builder.Services.AddToxicFunctions(builder.Configuration);

        // The host applies migrations; the worker only encodes, in this process.
        builder.Services.PostConfigure<Database.PostgresOptions>(o => o.MigrateOnStartup = false);
        builder.Services.AddHostedService(sp => new TimerTriggerService(
            sp,
            sp.GetRequiredService<IConfiguration>(),
            TimerFunction.Discover(typeof(EncodeStagedComments).Assembly).Where(f => f.Name == nameof(EncodeStagedComments)),
            sp.GetRequiredService<ILogger<TimerTriggerService>>()));
        if (builder.Configuration.GetValue<int?>(ParentSetting) is { } parent)
        {
            builder.Services.AddHostedService(sp => new ParentWatch(parent, sp.GetRequiredService<IHostApplicationLifetime>()));
        }

        return builder.Build();
    }

    /// <summary>Stops the worker when the host's process has exited (even when it was killed and could not stop it).</summary>
    private sealed class ParentWatch(int parentId, IHostApplicationLifetime lifetime) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            try
            {
                while (await timer.WaitForNextTickAsync(stoppingToken))
                {
                    if (!IsAlive(parentId))
                    {
                        lifetime.StopApplication();
                        return;
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
        }

        private static bool IsAlive(int processId)
        {
            try
            {
                using var process = Process.GetProcessById(processId);
                return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }
    }
}
