using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ToxicFunctions.Scoring;

namespace ToxicFunctions.Functions.Scoring;

/// <summary>HTTP trigger <c>GET /api/health</c>: the model served and whether scoring is ready (<see cref="ScoringHealth"/>).</summary>
public sealed class GetScoringHealth(ModelSource source)
{
    /// <summary>Answers 200 with <c>{"model", "version", "ready": true}</c>, or 503 with <c>ready: false</c> and the reason.</summary>
    [Function(nameof(GetScoringHealth))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ScoringRoutes.Health)] HttpRequest request, CancellationToken cancellationToken)
    {
        var health = await ScoringHealth.CheckAsync(source, cancellationToken);
        return new ObjectResult(health) { StatusCode = health.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable };
    }
}
