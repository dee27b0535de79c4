using System.Text.Json.Serialization;

namespace ToxicFunctions.Lake;

/// <summary>
/// One line of a Delta commit file (<c>_delta_log/NNNNNNNNNNNNNNNNNNNN.json</c>): exactly one of the properties is set,
/// named as the Delta protocol names the action. Unknown actions (cdc, domainMetadata, ...) read as all-null and are
/// ignored, as the protocol lets readers of version 1 do.
/// </summary>
/// <remarks>Source: github.com/delta-io/delta PROTOCOL.md, "Actions".</remarks>
public sealed record DeltaAction
{
    /// <summary>Provenance of the commit (free-form; <c>operationParameters</c> values are strings).</summary>
    [JsonPropertyName("commitInfo")]
    public DeltaCommitInfo? CommitInfo { get; init; }

    /// <summary>The reader and writer versions the table needs.</summary>
    [JsonPropertyName("protocol")]
    public DeltaProtocol? Protocol { get; init; }

    /// <summary>The table's id, schema, partitioning and configuration.</summary>
    [JsonPropertyName("metaData")]
    public DeltaMetadata? MetaData { get; init; }

    /// <summary>A data file that becomes part of the table.</summary>
    [JsonPropertyName("add")]
    public DeltaAddFile? Add { get; init; }

    /// <summary>A data file that stops being part of the table (a tombstone until vacuum).</summary>
    [JsonPropertyName("remove")]
    public DeltaRemoveFile? Remove { get; init; }

    /// <summary>An application's transaction version, which makes its writes idempotent.</summary>
    [JsonPropertyName("txn")]
    public DeltaTransaction? Txn { get; init; }
}
