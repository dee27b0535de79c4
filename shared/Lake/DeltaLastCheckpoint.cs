using System.Text.Json.Serialization;

namespace ToxicFunctions.Lake;

/// <summary>The content of <c>_delta_log/_last_checkpoint</c>.</summary>
/// <param name="Version">The checkpoint's version.</param>
/// <param name="Size">Action rows in the checkpoint.</param>
/// <param name="SizeInBytes">The checkpoint file's size.</param>
/// <param name="NumOfAddFiles">Add actions in it.</param>
public sealed record DeltaLastCheckpoint(
    [property: JsonPropertyName("version")] long Version,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("sizeInBytes")] long? SizeInBytes,
    [property: JsonPropertyName("numOfAddFiles")] long? NumOfAddFiles);
