using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ToxicFunctions.Pipeline;

namespace ToxicFunctions.Functions.Scoring;

/// <summary>
/// HTTP trigger that scores comments with the registered champion through ONNX Runtime: <c>POST /api/score</c> with
/// <c>{"text": "..."}</c> or <c>{"texts": ["...", ...]}</c> (at most <see cref="MaxTexts"/>, each at most
/// <see cref="MaxTextChars"/> characters).
/// </summary>
public sealed class ScoreComments(ChampionScorer scorer)
{
    /// <summary>The most comments one request may score.</summary>
    public const int MaxTexts = 1000;

    /// <summary>The longest comment accepted, in UTF-16 characters.</summary>
    public const int MaxTextChars = 100_000;

    /// <summary>
    /// Answers 200 with <c>{"model", "version", "threshold", "results": [{"probability", "label"}]}</c> in the order
    /// given; 400 (problem+json) for a body that is not such a request, naming the offending item; 503 (problem+json)
    /// while no champion is registered.
    /// </summary>
    [Function(nameof(ScoreComments))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "score")] HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        List<string> texts;
        try
        {
            using var json = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            if (Parse(json.RootElement, out texts) is { } problem)
            {
                return Problems.BadRequest("Not a scoring request", problem);
            }
        }
        catch (JsonException e)
        {
            return Problems.BadRequest("Not a scoring request", $"The body is not JSON: {e.Message}");
        }

        ChampionScores? scores;
        try
        {
            scores = await scorer.ScoreAsync(texts, cancellationToken);
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

    private static string? Parse(JsonElement root, out List<string> texts)
    {
        texts = [];
        if (root.ValueKind != JsonValueKind.Object)
        {
            return "Expected {\"text\": \"...\"} or {\"texts\": [\"...\"]}.";
        }

        var unknown = root.EnumerateObject().FirstOrDefault(p => p.Name is not ("text" or "texts"));
        if (unknown.Value.ValueKind != JsonValueKind.Undefined)
        {
            return $"Unknown property '{unknown.Name}'; expected {{\"text\": \"...\"}} or {{\"texts\": [\"...\"]}}.";
        }

        var hasText = root.TryGetProperty("text", out var text);
        var hasTexts = root.TryGetProperty("texts", out var many);
        if (hasText == hasTexts)
        {
            return "Give exactly one of \"text\" and \"texts\".";
        }

        if (hasText)
        {
            if (!text.TryGetText(out var value))
            {
                return "\"text\" must be a string of valid UTF-16 text.";
            }

            texts.Add(value);
        }
        else
        {
            if (many.ValueKind != JsonValueKind.Array || many.GetArrayLength() is 0 or > MaxTexts)
            {
                return $"\"texts\" must be an array of 1 to {MaxTexts} strings.";
            }

            var index = 0;
            foreach (var item in many.EnumerateArray())
            {
                if (!item.TryGetText(out var value))
                {
                    return $"texts[{index}] is not a string of valid UTF-16 text.";
                }

                texts.Add(value);
                index++;
            }
        }

        var tooLong = texts.FindIndex(t => t.Length > MaxTextChars);
        return tooLong < 0 ? null : $"{(hasText ? "text" : $"texts[{tooLong}]")} has {texts[tooLong].Length} characters; at most {MaxTextChars} are scored.";
    }
}
