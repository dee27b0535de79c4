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

/// <summary>The <c>protocol</c> action: what a reader and a writer must support.</summary>
/// <param name="MinReaderVersion">Reader version (1: no reader features).</param>
/// <param name="MinWriterVersion">Writer version (2: append-only and invariants honoured, no writer features).</param>
public sealed record DeltaProtocol(
    [property: JsonPropertyName("minReaderVersion")] int MinReaderVersion,
    [property: JsonPropertyName("minWriterVersion")] int MinWriterVersion);

/// <summary>The <c>format</c> of a <c>metaData</c> action.</summary>
/// <param name="Provider">Always <c>parquet</c>.</param>
/// <param name="Options">Provider options (none).</param>
public sealed record DeltaFormat(
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("options")] IReadOnlyDictionary<string, string> Options);

/// <summary>The <c>metaData</c> action.</summary>
/// <param name="Id">The table's unique id (a GUID).</param>
/// <param name="Format">The data files' format.</param>
/// <param name="SchemaString">The schema as Delta's JSON struct type, serialized to a string.</param>
/// <param name="PartitionColumns">Partition columns (none here).</param>
/// <param name="Configuration">Table properties.</param>
/// <param name="CreatedTime">Creation time, milliseconds since the Unix epoch.</param>
public sealed record DeltaMetadata(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("format")] DeltaFormat Format,
    [property: JsonPropertyName("schemaString")] string SchemaString,
    [property: JsonPropertyName("partitionColumns")] IReadOnlyList<string> PartitionColumns,
    [property: JsonPropertyName("configuration")] IReadOnlyDictionary<string, string> Configuration,
    [property: JsonPropertyName("createdTime")] long? CreatedTime);

/// <summary>The <c>add</c> action.</summary>
/// <param name="Path">The file, relative to the table root, URL-encoded (an absolute URI is allowed too).</param>
/// <param name="PartitionValues">Partition values (empty when unpartitioned).</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="ModificationTime">Milliseconds since the Unix epoch.</param>
/// <param name="DataChange">False for a rearrangement (compaction) that changes no row.</param>
/// <param name="Stats">Per-file statistics as a JSON string: numRecords, minValues, maxValues, nullCount (<see cref="RawCommentsFile.Complete"/>).</param>
public sealed record DeltaAddFile(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("partitionValues")] IReadOnlyDictionary<string, string> PartitionValues,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("modificationTime")] long ModificationTime,
    [property: JsonPropertyName("dataChange")] bool DataChange,
    [property: JsonPropertyName("stats")] string? Stats);

/// <summary>The <c>remove</c> action.</summary>
/// <param name="Path">The file, as its <c>add</c> named it.</param>
/// <param name="DeletionTimestamp">When it was removed, milliseconds since the Unix epoch (vacuum's clock).</param>
/// <param name="DataChange">False for a rearrangement (compaction).</param>
/// <param name="ExtendedFileMetadata">Whether partitionValues and size are given.</param>
/// <param name="PartitionValues">Partition values of the file.</param>
/// <param name="Size">Size in bytes.</param>
public sealed record DeltaRemoveFile(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("deletionTimestamp")] long? DeletionTimestamp,
    [property: JsonPropertyName("dataChange")] bool DataChange,
    [property: JsonPropertyName("extendedFileMetadata")] bool? ExtendedFileMetadata,
    [property: JsonPropertyName("partitionValues")] IReadOnlyDictionary<string, string>? PartitionValues,
    [property: JsonPropertyName("size")] long? Size);

/// <summary>The <c>txn</c> action.</summary>
/// <param name="AppId">The application.</param>
/// <param name="Version">Its latest committed transaction version.</param>
/// <param name="LastUpdated">Milliseconds since the Unix epoch.</param>
public sealed record DeltaTransaction(
    [property: JsonPropertyName("appId")] string AppId,
    [property: JsonPropertyName("version")] long Version,
    [property: JsonPropertyName("lastUpdated")] long? LastUpdated);

/// <summary>The <c>commitInfo</c> action (what Spark writes, in part).</summary>
/// <param name="Timestamp">Commit time, milliseconds since the Unix epoch.</param>
/// <param name="Operation">WRITE, CREATE TABLE, OPTIMIZE, ...</param>
/// <param name="OperationParameters">Parameters of the operation, as strings.</param>
/// <param name="EngineInfo">The writer.</param>
/// <param name="IsBlindAppend">Whether the commit only appends without reading the table.</param>
public sealed record DeltaCommitInfo(
    [property: JsonPropertyName("timestamp")] long Timestamp,
    [property: JsonPropertyName("operation")] string Operation,
    [property: JsonPropertyName("operationParameters")] IReadOnlyDictionary<string, string> OperationParameters,
    [property: JsonPropertyName("engineInfo")] string EngineInfo,
    [property: JsonPropertyName("isBlindAppend")] bool IsBlindAppend);
