namespace ToxicFunctions.Transform;

/// <summary>
/// The transform refused to publish: the production table breaks its contract, or an error-level production test
/// failed. The run's transaction was rolled back, so production is as it was; the message says why.
/// </summary>
public sealed class TransformGateException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TransformGateException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TransformGateException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public TransformGateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
