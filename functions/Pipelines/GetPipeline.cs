using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace ToxicFunctions.Functions.Pipelines;

/// <summary><c>GET /api/pipelines/{instanceId}</c>: a pipeline run's status, progress (custom status) and result.</summary>
public sealed class GetPipeline
{
    /// <summary>200 with the instance, or 404 (problem+json) for an unknown one.</summary>
    [Function(nameof(GetPipeline))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "pipelines/{instanceId}")] HttpRequest request,
        string instanceId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
        if (instance is null)
        {
            return Problems.Create(404, "No such pipeline run", $"No orchestration instance '{instanceId}'.");
        }

        return new OkObjectResult(new
        {
            instanceId = instance.InstanceId,
            name = instance.Name,
            runtimeStatus = instance.RuntimeStatus.ToString(),
            createdAt = instance.CreatedAt,
            lastUpdatedAt = instance.LastUpdatedAt,
            customStatus = SerializedJson.ParseOrText(instance.SerializedCustomStatus),
            output = SerializedJson.ParseOrText(instance.SerializedOutput),
            failure = instance.FailureDetails?.ErrorMessage,
        });
    }
}
