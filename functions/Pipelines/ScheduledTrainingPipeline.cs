using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using ToxicFunctions.Orchestrations;

namespace ToxicFunctions.Functions.Pipelines;

/// <summary>Timer trigger: starts the training pipeline on the CRON schedule of setting <c>Pipeline:Schedule</c> (what Airflow did).</summary>
public sealed class ScheduledTrainingPipeline(ILogger<ScheduledTrainingPipeline> logger)
{
    /// <summary>Starts one pipeline run per tick.</summary>
    [Function(nameof(ScheduledTrainingPipeline))]
    public async Task RunAsync(
        [TimerTrigger("%Pipeline:Schedule%")] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        var instanceId = await client.ScheduleNewOrchestrationInstanceAsync(
            nameof(TrainingPipeline), new PipelineRequest(RequestedBy: "timer"), cancellationToken);
        logger.LogInformation("Scheduled training pipeline {InstanceId} started (next: {Next})", instanceId, timer.ScheduleStatus?.Next);
    }
}
