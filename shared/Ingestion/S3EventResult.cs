namespace ToxicFunctions.Ingestion;

/// <summary>What became of one event record of a notification; every record gets a row in <c>staging.loads</c>.</summary>
/// <param name="EventName">The event, for example <c>ObjectCreated:Put</c>.</param>
/// <param name="Bucket">The bucket.</param>
/// <param name="KeyAsSent">The key as the notification carried it, encoded by the sender's rule.</param>
/// <param name="Key">The object key it was resolved to (the first one tried when none exists).</param>
/// <param name="Version">The object version: the one read, or the announced one when nothing was read.</param>
/// <param name="Outcome">What happened, by name: <c>Loaded</c>, <c>AlreadyLoaded</c>, <c>Failed</c>, <c>Skipped</c> or <c>NotFound</c>.</param>
/// <param name="LoadId">The row of <c>staging.loads</c> that records it.</param>
/// <param name="RowsLoaded">Records written to <c>staging.comments</c>.</param>
/// <param name="RowsRejected">Records written to <c>staging.rejected_records</c>.</param>
/// <param name="Reason">Why nothing was loaded, when nothing was.</param>
public sealed record S3EventResult(
    string? EventName,
    string Bucket,
    string KeyAsSent,
    string Key,
    string Version,
    IngestOutcome Outcome,
    long LoadId,
    long RowsLoaded,
    long RowsRejected,
    string? Reason)
{
    /// <summary>The event's result from the result of its object.</summary>
    public static S3EventResult From(string? eventName, string keyAsSent, IngestResult result) => new(
        eventName, result.Object.Container, keyAsSent, result.Object.Key, result.Object.Version, result.Outcome, result.LoadId,
        result.RowsLoaded, result.RowsRejected, result.Reason);
}
