using System.Text.Json.Serialization;

namespace ToxicFunctions.Lake;

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
