namespace ToxicFunctions.Orchestrations;

/// <summary>The pipeline stopped because a stage failed; the message names the stage and carries the stage's reason (for Validate: the failed expectations and the report's location).</summary>
public sealed class PipelineStageFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PipelineStageFailedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public PipelineStageFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public PipelineStageFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
