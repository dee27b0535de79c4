namespace ToxicFunctions.Ingestion;

/// <summary>What became of one event record of a notification.</summary>
/// <param name="Bucket">The bucket.</param>
/// <param name="Key">The decoded object key.</param>
/// <param name="Outcome">Loaded, AlreadyLoaded, Failed, NotFound or skipped.</param>
/// <param name="Ingest">The ingestion result, when the object was read.</param>
/// <param name="Error">Why the object was not loaded, if it was not.</param>
public sealed record S3EventResult(string Bucket, string Key, string Outcome, IngestResult? Ingest, string? Error);
