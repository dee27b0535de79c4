namespace ToxicFunctions.Scoring;

/// <summary>The OpenAPI 3 document of the scoring API (<c>openapi.json</c>, embedded), served at <c>GET /api/openapi.json</c>.</summary>
public static class ScoringApiDocument
{
    private static readonly Lazy<string> s_json = new(() =>
    {
        using var stream = typeof(ScoringApiDocument).Assembly.GetManifestResourceStream("ToxicFunctions.Scoring.openapi.json")
            ?? throw new InvalidOperationException("The embedded openapi.json is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The document, JSON text.</summary>
    public static string Json => s_json.Value;
}
