using System.Text.Json.Serialization;

namespace ToxicFunctions.Lake;

/// <summary>The <c>txn</c> action.</summary>
/// <param name="AppId">The application.</param>
/// <param name="Version">Its latest committed transaction version.</param>
/// <param name="LastUpdated">Milliseconds since the Unix epoch.</param>
public sealed record DeltaTransaction(
    [property: JsonPropertyName("appId")] string AppId,
    [property: JsonPropertyName("version")] long Version,
    [property: JsonPropertyName("lastUpdated")] long? LastUpdated);
