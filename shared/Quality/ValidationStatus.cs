namespace ToxicFunctions.Quality;

/// <summary>The verdict of a validation run.</summary>
public enum ValidationStatus
{
    /// <summary>Every expectation passed.</summary>
    Passed,

    /// <summary>Only warn-level expectations failed: reported, the pipeline goes on.</summary>
    Warned,

    /// <summary>At least one error-level expectation failed: the pipeline stops.</summary>
    Failed,
}
