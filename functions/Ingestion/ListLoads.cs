using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ToxicFunctions.Ingestion;

namespace ToxicFunctions.Functions.Ingestion;

/// <summary>
/// HTTP trigger: <c>GET /api/loads[?status=STATUS|attention][&amp;container=NAME][&amp;key=KEY][&amp;limit=N]</c>, the announced
/// objects and what became of each (loaded, failed, skipped, not found), newest first (see <see cref="LoadListRequest"/>).
/// </summary>
public sealed class ListLoads(LoadHistory history)
{
    /// <summary>Answers 200 with the loads; 400 (problem+json) for a bad status or limit.</summary>
    [Function(nameof(ListLoads))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "loads")] HttpRequest request, CancellationToken cancellationToken)
    {
        var query = request.Query;
        var parsed = LoadListRequest.Parse(query["status"], query["container"], query["key"], query["limit"], out var error);
        return parsed is null
            ? Problems.BadRequest("Bad loads query", error!)
            : new OkObjectResult(await history.ListAsync(parsed, cancellationToken));
    }
}
