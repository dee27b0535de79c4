using Microsoft.Extensions.Logging;
using Npgsql;
using ToxicFunctions.Telemetry;

namespace ToxicFunctions.Quality;

/// <summary>
/// Validates data with a suite: evaluates it in PostgreSQL, stores the run and its results in <c>ml</c>, and puts the
/// JSON and HTML reports into the object store. The verdict is returned, not enforced: callers that gate a pipeline
/// use <see cref="DataQualityGateException.ThrowIfFailed"/>.
/// </summary>
public sealed class ValidationService(
    NpgsqlDataSource dataSource,
    ValidationResultStore results,
    ValidationReportStore reports,
    TimeProvider time,
    ToxicMetrics metrics,
    ILogger<ValidationService> logger)
{
    /// <summary>The suite that checks staging, embedded from shared/Quality/suites/staging.json.</summary>
    public const string StagingSuite = "staging";

    /// <summary>Runs a suite and returns its report.</summary>
    public Task<ValidationReport> RunAsync(LoadedSuite loaded, CancellationToken cancellationToken = default) => RunAsync(loaded, null, cancellationToken);

    /// <summary>Runs a suite and returns its report, telling <paramref name="progress"/> as the expectations' queries return.</summary>
    public async Task<ValidationReport> RunAsync(LoadedSuite loaded, IProgress<ValidationProgress>? progress, CancellationToken cancellationToken = default)
    {
        var runId = Guid.CreateVersion7();
        var startedAt = time.GetUtcNow();
        await results.StartAsync(runId, loaded, startedAt, cancellationToken);
        IReadOnlyList<ExpectationResult> evaluated;
        try
        {
            evaluated = await SuiteEvaluator.EvaluateAsync(new DataSourceSession(dataSource), loaded.Suite, progress, cancellationToken);
        }
        catch (Exception e) when (e is SuiteDefinitionException or PostgresException)
        {
            await results.FailAsync(runId, e.Message, CancellationToken.None);
            throw;
        }

        var report = new ValidationReport(
            runId,
            loaded.Suite.Name,
            loaded.Suite.Description,
            loaded.Sha256,
            loaded.Origin,
            ValidationReport.Judge(evaluated),
            startedAt,
            time.GetUtcNow(),
            evaluated.Count,
            evaluated.Count(r => r.Passed),
            evaluated.Count(r => !r.Passed && r.Severity == Severity.Error),
            evaluated.Count(r => !r.Passed && r.Severity == Severity.Warn),
            reports.Uri(runId, ReportFormat.Json),
            reports.Uri(runId, ReportFormat.Html),
            evaluated);
        try
        {
            await Task.WhenAll(
                reports.PutAsync(runId, ReportFormat.Json, report.ToJson(), cancellationToken),
                reports.PutAsync(runId, ReportFormat.Html, HtmlReportRenderer.Render(report), cancellationToken));
            await results.CompleteAsync(report, cancellationToken);
        }
        catch (Exception e)
        {
            // A run whose report cannot be stored (or that was cancelled here) is failed, not left running.
            await results.FailAsync(runId, $"the report could not be stored: {e.Message}", CancellationToken.None);
            throw;
        }
        metrics.RecordValidation(report.Suite, report.Status.ToString(), report.FailedErrors, report.FailedWarnings);
        logger.LogInformation(
            "Validation {RunId} of suite {Suite}: {Status} ({Errors} error, {Warnings} warn failures); report {Report}",
            runId, report.Suite, report.Status, report.FailedErrors, report.FailedWarnings, report.ReportHtmlUri);
        return report;
    }

    /// <summary>The newest stored report (of <paramref name="suite"/> when given) and its run, or null when no run has stored one.</summary>
    public async Task<(Guid RunId, string Report)?> GetLatestReportAsync(ReportFormat format, string? suite, CancellationToken cancellationToken = default) =>
        await results.GetLatestReportedAsync(suite, cancellationToken) is { } runId && await reports.GetAsync(runId, format, cancellationToken) is { } report
            ? (runId, report)
            : null;

    /// <summary>A stored report, or null when the run is unknown or has no report.</summary>
    public async Task<string?> GetReportAsync(Guid runId, ReportFormat format, CancellationToken cancellationToken = default) =>
        await results.GetStatusAsync(runId, cancellationToken) is null ? null : await reports.GetAsync(runId, format, cancellationToken);
}
