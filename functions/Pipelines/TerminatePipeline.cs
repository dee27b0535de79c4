using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace ToxicFunctions.Functions.Pipelines;

/// <summary><c>POST /api/pipelines/{instanceId}/terminate</c>: stops a running pipeline.</summary>
public sealed class TerminatePipeline
{
    /// <summary>202 when termination was requested, 404 for an unknown instance, 409 when it already ended.</summary>
    [Function(nameof(TerminatePipeline))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "pipelines/{instanceId}/terminate")] HttpRequest request,
        string instanceId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(instanceId, cancellationToken);
        if (instance is null)
        {
            return Problems.Create(404, "No such pipeline run", $"No orchestration instance '{instanceId}'.");
        }

        if (instance.IsCompleted)
        {
            return Problems.Create(409, "Pipeline run already ended", $"'{instanceId}' is {instance.RuntimeStatus}.");
        }

        await client.TerminateInstanceAsync(instanceId, "terminated over HTTP", cancellationToken);
        return new AcceptedResult();
    }
}
