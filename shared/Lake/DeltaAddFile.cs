using System.Text.Json.Serialization;

namespace ToxicFunctions.Lake;

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
