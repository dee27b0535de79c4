using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ToxicFunctions.Pipeline;

namespace ToxicFunctions.Functions.Pipelines;

/// <summary>HTTP trigger: <c>GET /api/models[?name=NAME]</c>, the registered versions (newest first) with their aliases and test metrics.</summary>
public sealed class ListModels(ModelRegistry registry)
{
    /// <summary>Answers 200 with the versions.</summary>
    [Function(nameof(ListModels))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models")] HttpRequest request, CancellationToken cancellationToken)
    {
        var name = request.Query["name"].ToString();
        return new OkObjectResult(await registry.ListVersionsAsync(name.Length == 0 ? null : name, cancellationToken));
    }
}
