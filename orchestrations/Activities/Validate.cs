using Microsoft.Azure.Functions.Worker;
using ToxicFunctions.Quality;

namespace ToxicFunctions.Orchestrations.Activities;

/// <summary>
/// Durable activity <c>Validate</c>: runs a data-quality suite (<see cref="ValidationService"/>), stores its results and
/// reports, and is the pipeline's gate. An error-level failure throws <see cref="DataQualityGateException"/> after the
/// run is stored: an orchestration's <c>CallActivityAsync(PipelineActivities.Validate)</c> then fails with a TaskFailedException
/// whose FailureDetails carry that type and a message naming the failed expectations and the report, so the pipeline
/// stops without checking anything itself (and a retry policy should not retry that error type). Warnings pass: the
/// returned report lists them.
/// </summary>
public sealed class Validate(ValidationService validation)
{
    /// <summary>Runs the suite; returns the report when no error-level expectation failed.</summary>
    [Function(PipelineActivities.Validate)]
    public async Task<ValidationReport> RunAsync([ActivityTrigger] ValidateRequest request, CancellationToken cancellationToken)
    {
        var report = await validation.RunAsync(SuiteLoader.LoadEmbedded(request.Suite), cancellationToken);
        DataQualityGateException.ThrowIfFailed(report);
        return report;
    }
}
