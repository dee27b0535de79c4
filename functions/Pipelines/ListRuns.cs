using System.Globalization;
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
        var limitText = request.Query["limit"].ToString();
        var limit = 50;
        if (limitText.Length > 0 && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 1000))
        {
            return Problems.BadRequest("Bad limit", "limit must be a whole number from 1 to 1000.");
        }

        var experiment = request.Query["experiment"].ToString();
        return new OkObjectResult(await tracker.ListRunsAsync(experiment.Length == 0 ? null : experiment, limit, cancellationToken));
    }
}
