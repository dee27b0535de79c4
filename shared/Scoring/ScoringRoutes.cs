namespace ToxicFunctions.Scoring;

/// <summary>
/// The scoring API's routes under the Functions route prefix <c>api/</c>: the scoring functions' attributes and
/// <c>toxic serve</c> both take them from here.
/// </summary>
public static class ScoringRoutes
{
    /// <summary><c>POST /api/score</c>.</summary>
    public const string Score = "score";

    /// <summary><c>GET /api/health</c>.</summary>
    public const string Health = "health";

    /// <summary><c>GET /api/openapi.json</c>.</summary>
    public const string ApiDocument = "openapi.json";
}
