using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ToxicFunctions.Scoring;

namespace ToxicFunctions.Functions.Scoring;

/// <summary>
/// HTTP trigger that scores comments with the registered champion through ONNX Runtime: <c>POST /api/score</c> with
/// <c>{"text": "..."}</c> or <c>{"texts": ["...", ...]}</c>, read and limited by <see cref="ScoringRequest"/>,
/// micro-batched with concurrent requests by <see cref="ScoringBatcher"/>.
/// </summary>
public sealed class ScoreComments(ScoringBatcher batcher)
{
    /// <summary>
    /// Answers 200 with <see cref="ScoringResponse"/>: <c>{"model", "version", "threshold", "results": [{"probability",
    /// "label", "tokens", "truncated"}]}</c> in the order given; problem+json 415 for a body not sent as JSON, 413 for
    /// one over a limit, 400 for one that is not such a request (naming the offending item); 503 while no champion is
    /// registered or it cannot be loaded.
    /// </summary>
    [Function(nameof(ScoreComments))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ScoringRoutes.Score)] HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var scoring = await ScoringRequest.ReadAsync(request.Body, request.ContentType, cancellationToken);
            return new OkObjectResult(await batcher.ScoreAsync(scoring.Texts, cancellationToken));
        }
        catch (Exception e) when (ScoringErrors.TryDescribe(e, out var status, out var title))
        {
            return Problems.Create(status, title, e.Message);
        }
    }
}
