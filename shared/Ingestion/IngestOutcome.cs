namespace ToxicFunctions.Ingestion;

/// <summary>What happened to a delivered object version.</summary>
public enum IngestOutcome
{
    /// <summary>The object was loaded into staging now.</summary>
    Loaded,

    /// <summary>The same object version had been taken before; nothing was added.</summary>
    AlreadyLoaded,

    /// <summary>The object as a whole could not be loaded (for example, no valid header).</summary>
    Failed,
}
