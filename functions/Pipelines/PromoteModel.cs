using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ToxicFunctions.Pipeline;

namespace ToxicFunctions.Functions.Pipelines;

/// <summary>HTTP trigger: <c>POST /api/models/{name}/versions/{version}/promote</c>, makes a version champion by hand.</summary>
public sealed class PromoteModel(ModelRegistry registry)
{
    /// <summary>Answers 200 with the new champion and the version it replaced; 400 for a bad version; 404 for an unknown one.</summary>
    [Function(nameof(PromoteModel))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "models/{name}/versions/{version}/promote")] HttpRequest request,
        string name,
        string version,
        CancellationToken cancellationToken)
    {
        if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            return Problems.BadRequest("Not a version", $"'{version}' is not a positive version number.");
        }

        try
        {
            var previous = await registry.SetAliasAsync(name, ModelAliases.Champion, number, "promoted by hand", cancellationToken);
            return new OkObjectResult(new { name, version = number, alias = ModelAliases.Champion, previous });
        }
        catch (KeyNotFoundException e)
        {
            return Problems.Create(404, "No such version", e.Message);
        }
    }
}
