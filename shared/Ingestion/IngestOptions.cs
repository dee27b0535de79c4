namespace ToxicFunctions.Ingestion;

/// <summary>Settings of batch ingestion (section <c>Ingest</c>).</summary>
public sealed class IngestOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Ingest";

    /// <summary>Records tokenized together as one unit of parallel work.</summary>
    public int BatchSize { get; set; } = 256;

    /// <summary>Batches tokenized at the same time; 0 means one per processor.</summary>
    public int MaxDegreeOfParallelism { get; set; }

    /// <summary>Records longer than this many characters are rejected.</summary>
    public int MaxRecordChars { get; set; } = 1 << 20;

    /// <summary>Rejected records kept in memory before they are written.</summary>
    public int RejectedFlushCount { get; set; } = 1000;
}
