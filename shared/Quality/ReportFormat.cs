namespace ToxicFunctions.Quality;

/// <summary>The two renderings of a validation report.</summary>
public enum ReportFormat
{
    /// <summary>The machine-readable report.</summary>
    Json,

    /// <summary>The readable page (data docs).</summary>
    Html,
}
