namespace ToxicFunctions.Quality;

/// <summary>
/// An error-level expectation failed: the pipeline must stop. The message names the suite, the run, each failing
/// error-level expectation with its counts, and the HTML report; under Durable Functions it becomes the orchestration's
/// failure reason (TaskFailedException.FailureDetails, ErrorType = this type's full name).
/// </summary>
public sealed class DataQualityGateException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DataQualityGateException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DataQualityGateException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public DataQualityGateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Throws when the report's verdict is <see cref="ValidationStatus.Failed"/>; warnings pass.</summary>
    public static void ThrowIfFailed(ValidationReport report)
    {
        if (report.Status != ValidationStatus.Failed)
        {
            return;
        }

        var failures = string.Join("; ", report.ErrorFailures.Select(r => $"{r.Id} ({r.Detail})"));
        throw new DataQualityGateException(
            $"Data-quality suite '{report.Suite}' failed (run {report.RunId}): {report.FailedErrors} error-level expectation(s) failed: "
            + $"{failures}. Report: {report.ReportHtmlUri}");
    }
}
