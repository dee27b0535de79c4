using System.Text.Json.Serialization;

namespace ToxicFunctions.Lake;

/// <summary>The <c>format</c> of a <c>metaData</c> action.</summary>
/// <param name="Provider">Always <c>parquet</c>.</param>
/// <param name="Options">Provider options (none).</param>
public sealed record DeltaFormat(
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("options")] IReadOnlyDictionary<string, string> Options);
