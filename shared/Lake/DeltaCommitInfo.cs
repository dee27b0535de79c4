using System.Text.Json.Serialization;

namespace ToxicFunctions.Lake;

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
