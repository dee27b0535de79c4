namespace ToxicFunctions.Quality;

/// <summary>
/// A validation run: its verdict, counts, where its reports lie in the object store, and every expectation's result.
/// This is the JSON report, the HTTP answer and the Validate activity's output.
/// </summary>
public sealed record ValidationReport(
    Guid RunId,
    string Suite,
    string? SuiteDescription,
    string SuiteSha256,
    string SuiteOrigin,
    ValidationStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    int Evaluated,
    int Passed,
    int FailedErrors,
    int FailedWarnings,
    string ReportJsonUri,
    string ReportHtmlUri,
    IReadOnlyList<ExpectationResult> Results)
{
    /// <summary>The error-level expectations that failed.</summary>
    public IEnumerable<ExpectationResult> ErrorFailures => Results.Where(r => !r.Passed && r.Severity == Severity.Error);

    /// <summary>The report as stored (report.json): snake_case JSON.</summary>
    public string ToJson() => System.Text.Json.JsonSerializer.Serialize(this, QualityJson.Options);

    /// <summary>The verdict of a set of results.</summary>
    public static ValidationStatus Judge(IReadOnlyList<ExpectationResult> results) =>
        results.Any(r => !r.Passed && r.Severity == Severity.Error) ? ValidationStatus.Failed
        : results.Any(r => !r.Passed) ? ValidationStatus.Warned
        : ValidationStatus.Passed;
}
