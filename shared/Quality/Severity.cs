namespace ToxicFunctions.Quality;

/// <summary>What a failing expectation means: <see cref="Error"/> stops the pipeline, <see cref="Warn"/> is reported only.</summary>
public enum Severity
{
    /// <summary>A failure stops the pipeline.</summary>
    Error,

    /// <summary>A failure is reported and the pipeline goes on.</summary>
    Warn,
}
