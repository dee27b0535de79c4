using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace ToxicFunctions.Functions.Pipelines;

/// <summary><c>DELETE /api/pipelines/{instanceId}</c>: purges an ended pipeline run's history.</summary>
public sealed class PurgePipeline
{
    /// <summary>200 when purged, 404 when there was nothing to purge (unknown, or still running).</summary>
    [Function(nameof(PurgePipeline))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "pipelines/{instanceId}")] HttpRequest request,
        string instanceId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        var result = await client.PurgeInstanceAsync(instanceId, cancellation: cancellationToken);
        return result.PurgedInstanceCount == 0
            ? Problems.Create(404, "Nothing purged", $"'{instanceId}' is unknown or has not ended.")
            : new OkObjectResult(new { instanceId, purged = result.PurgedInstanceCount });
    }
}
