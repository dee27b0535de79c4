namespace ToxicFunctions.Streaming;

/// <summary>A change event that cannot be applied (malformed JSON, a missing field, an unknown column, ...).</summary>
public sealed class StreamEventException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StreamEventException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public StreamEventException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public StreamEventException()
    {
    }
}
