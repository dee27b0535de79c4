using ToxicFunctions.Http;
using ToxicFunctions.Pipeline;

namespace ToxicFunctions.Scoring;

/// <summary>The HTTP status and title each scoring failure is answered with (as problem+json, the exception's message as detail).</summary>
public static class ScoringErrors
{
    /// <summary>
    /// The status and title of <paramref name="error"/>: its own for an <see cref="InvalidRequestException"/>
    /// (400, 404, 413, 415), 503 while there is no model or it cannot be loaded; false for anything else (a fault: 500).
    /// </summary>
    public static bool TryDescribe(Exception error, out int status, out string title)
    {
        (status, title) = error switch
        {
            InvalidRequestException invalid => (invalid.StatusCode, invalid.Title),
            NoModelException => (503, "No model to score with"),
            ChampionUnavailableException => (503, "Champion model unavailable"),
            _ => (0, ""),
        };
        return status != 0;
    }
}
