using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ToxicFunctions.Pipeline;

namespace ToxicFunctions.Functions.Pipelines;

/// <summary>HTTP trigger: <c>POST /api/models/{name}/rollback</c>, points the champion back at the version it replaced.</summary>
public sealed class RollbackModel(ModelRegistry registry)
{
    /// <summary>Answers 200 with the restored champion; 409 when the champion replaced no other version.</summary>
    [Function(nameof(RollbackModel))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "models/{name}/rollback")] HttpRequest request,
        string name,
        CancellationToken cancellationToken)
    {
        var restored = await registry.RollbackAsync(name, cancellationToken);
        return restored is null
            ? Problems.Create(409, "Nothing to roll back to", $"The champion of {name} did not replace another version.")
            : new OkObjectResult(restored);
    }
}
