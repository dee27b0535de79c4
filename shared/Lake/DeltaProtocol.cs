using System.Text.Json.Serialization;

namespace ToxicFunctions.Lake;

/// <summary>The <c>protocol</c> action: what a reader and a writer must support.</summary>
/// <param name="MinReaderVersion">Reader version (1: no reader features).</param>
/// <param name="MinWriterVersion">Writer version (2: append-only and invariants honoured, no writer features).</param>
public sealed record DeltaProtocol(
    [property: JsonPropertyName("minReaderVersion")] int MinReaderVersion,
    [property: JsonPropertyName("minWriterVersion")] int MinWriterVersion);
