using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ToxicFunctions.Pipeline;

namespace ToxicFunctions.Functions.Pipelines;

/// <summary>HTTP trigger: <c>GET /api/runs[?experiment=NAME][&amp;limit=N]</c>, the tracked runs, newest first (default 50, at most 1000).</summary>
public sealed class ListRuns(ExperimentTracker tracker)
{
    /// <summary>Answers 200 with the runs; 400 for a bad limit.</summary>
    [Function(nameof(ListRuns))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs")] HttpRequest request, CancellationToken cancellationToken)
    {
        if (!QueryLimit.TryParse(request.Query["limit"], 50, out var limit))
        {
            return Problems.BadRequest("Bad limit", QueryLimit.Error);
        }

        var experiment = request.Query["experiment"].ToString();
        return new OkObjectResult(await tracker.ListRunsAsync(experiment.Length == 0 ? null : experiment, limit, cancellationToken));
    }
}
