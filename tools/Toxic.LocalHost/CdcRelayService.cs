using Microsoft.Extensions.Options;
using ToxicFunctions.Streaming;

namespace ToxicFunctions.LocalHost;

/// <summary>Runs the CDC relay inside the local host and restarts it after a failure (it resumes from its slot).</summary>
internal sealed class CdcRelayService(CdcRelay relay, IOptions<CdcRelayServiceOptions> options, ILogger<CdcRelayService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await relay.RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "The CDC relay stopped; restarting in {Delay}", options.Value.RestartDelay);
                await Task.Delay(options.Value.RestartDelay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
