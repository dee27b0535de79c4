namespace ToxicFunctions.Pipeline;

/// <summary>A snapshot's <c>manifest.json</c>: what the data file holds and how it was made.</summary>
public sealed record SnapshotManifest
{
    /// <summary>The version of this manifest's and the data file's layout.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Layout version.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>SHA-256 (hex) of the data file: the snapshot's identity.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Where the data file is.</summary>
    public required string DataUri { get; init; }

    /// <summary>The data file's format.</summary>
    public string Format { get; init; } = "jsonl";

    /// <summary>Rows in the data file.</summary>
    public required int RowCount { get; init; }

    /// <summary>Rows per label ("0", "1").</summary>
    public required IReadOnlyDictionary<string, int> LabelCounts { get; init; }

    /// <summary>
    /// Rows whose label is a correction sent to <c>POST /api/feedback</c> (0 in manifests written before feedback
    /// existed, whose snapshots hold none).
    /// </summary>
    public int FeedbackRows { get; init; }

    /// <summary>The test split.</summary>
    public required SnapshotSplit Split { get; init; }

    /// <summary>The query that read production.</summary>
    public required string SourceQuery { get; init; }

    /// <summary>When the snapshot was first written.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}
