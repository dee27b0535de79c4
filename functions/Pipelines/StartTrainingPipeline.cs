using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;
using ToxicFunctions.Orchestrations;

namespace ToxicFunctions.Functions.Pipelines;

/// <summary>Starts the training pipeline: 202 with the Durable Functions status URLs, which the Functions host serves.</summary>
public sealed class StartTrainingPipeline
{
    /// <summary>The orchestration started by <c>POST /api/pipelines/training</c> (the body, if any, is ignored).</summary>
    [Function(nameof(StartTrainingPipeline))]
    public async Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "pipelines/training")] HttpRequestData request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        var instanceId = await client.ScheduleNewOrchestrationInstanceAsync(
            nameof(TrainingPipeline), new PipelineRequest(RequestedBy: "http"), cancellationToken);
        return await client.CreateCheckStatusResponseAsync(request, instanceId, cancellationToken);
    }
}
