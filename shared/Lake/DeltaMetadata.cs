using System.Text.Json.Serialization;

namespace ToxicFunctions.Lake;

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
