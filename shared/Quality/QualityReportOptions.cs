namespace ToxicFunctions.Quality;

/// <summary>Where validation reports go (section <c>S3</c>, key <c>ReportsBucket</c>).</summary>
public sealed class QualityReportOptions
{
    /// <summary>The bucket that holds the JSON and HTML reports (data docs), under validations/RUN_ID/.</summary>
    public string ReportsBucket { get; set; } = "reports";
}
