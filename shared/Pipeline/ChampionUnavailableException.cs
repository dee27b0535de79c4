namespace ToxicFunctions.Pipeline;

/// <summary>The registered champion's model cannot be loaded (its files are gone or unreadable by this code).</summary>
public sealed class ChampionUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ChampionUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message saying which version and why.</summary>
    public ChampionUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ChampionUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
