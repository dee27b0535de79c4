using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ToxicFunctions.Pipeline;
using ToxicFunctions.Scoring;

namespace ToxicFunctions.Functions.Scoring;

/// <summary>
/// HTTP trigger that scores comments with the registered champion through ONNX Runtime: <c>POST /api/score</c> with
/// <c>{"text": "..."}</c> or <c>{"texts": ["...", ...]}</c>, read and limited by <see cref="ScoringRequest"/>.
/// </summary>
public sealed class ScoreComments(ChampionScorer scorer)
{
    /// <summary>
    /// Answers 200 with <c>{"model", "version", "threshold", "results": [{"probability", "label"}]}</c> in the order
    /// given; problem+json 415 for a body that is not JSON, 413 for one over a limit, 400 for one that is not such a
    /// request (naming the offending item); 503 while no champion is registered or it cannot be loaded.
    /// </summary>
    [Function(nameof(ScoreComments))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "score")] HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ScoringRequest scoring;
        try
        {
            scoring = await ScoringRequest.ReadAsync(request.Body, request.ContentType, cancellationToken);
        }
        catch (InvalidScoringRequestException e)
        {
            return Problems.Create(e.StatusCode, e.Title, e.Message);
        }

        ChampionScores? scores;
        try
        {
            scores = await scorer.ScoreAsync(scoring.Texts, cancellationToken);
        }
        catch (ChampionUnavailableException e)
        {
            return Problems.Create(503, "Champion model unavailable", e.Message);
        }

        if (scores is null)
        {
            return Problems.Create(503, "No model to score with", "No champion model is registered yet; run the training pipeline (POST /api/pipelines/training).");
        }

        return new OkObjectResult(new
        {
            model = scores.ModelName,
            version = scores.Version,
            threshold = scores.Threshold,
            results = scores.Probabilities.Select(p => new { probability = p, label = p >= scores.Threshold ? 1 : 0 }),
        });
    }
}
