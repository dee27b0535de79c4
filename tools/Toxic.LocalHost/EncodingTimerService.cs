using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ToxicFunctions.Functions.Pipelines;

namespace ToxicFunctions.LocalHost;

/// <summary>
/// The timer of <see cref="EncodeStagedComments"/>: invokes the function every poll interval, so that staged comments get
/// their encoder features shortly after they are ingested. It runs in the encoder worker (<see cref="EncoderWorker"/>),
/// or inside the host itself when <see cref="EncodingTimerOptions.OwnProcess"/> is off.
/// </summary>
internal sealed class EncodingTimerService(IServiceProvider services, IOptions<EncodingTimerOptions> options, ILogger<EncodingTimerService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled || options.Value.OwnProcess)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<EncodeStagedComments>().RunAsync(new TimerInfo(), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Encoding staged comments failed; retrying in {Interval}", options.Value.PollInterval);
            }

            await Task.Delay(options.Value.PollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
