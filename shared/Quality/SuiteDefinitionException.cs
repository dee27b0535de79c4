namespace ToxicFunctions.Quality;

/// <summary>A suite file that cannot be used: bad JSON, unknown kinds or properties, invalid parameters, or names missing from the catalog.</summary>
public sealed class SuiteDefinitionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SuiteDefinitionException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SuiteDefinitionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public SuiteDefinitionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
