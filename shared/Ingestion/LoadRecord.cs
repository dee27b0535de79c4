namespace ToxicFunctions.Ingestion;

/// <summary>One row of <c>staging.loads</c>: an announced object version and what became of it.</summary>
/// <param name="LoadId">The load's id; staged rows and rejected records carry it.</param>
/// <param name="Store"><c>s3</c>, <c>blob</c> or <c>file</c>.</param>
/// <param name="Container">The bucket or container.</param>
/// <param name="Key">The object key.</param>
/// <param name="Version">The version id, or the ETag where the store keeps no versions.</param>
/// <param name="SizeBytes">The object's size in bytes, when known.</param>
/// <param name="Status"><c>loading</c>, <c>loaded</c>, <c>failed</c>, <c>skipped</c> or <c>not_found</c>.</param>
/// <param name="RowsLoaded">Records written to <c>staging.comments</c>.</param>
/// <param name="RowsRejected">Records written to <c>staging.rejected_records</c>.</param>
/// <param name="Reason">Why nothing was loaded (failed, skipped, not_found).</param>
/// <param name="StartedAt">When the object was first taken (UTC).</param>
/// <param name="FinishedAt">When the load ended (UTC), null while loading.</param>
public sealed record LoadRecord(
    long LoadId,
    string Store,
    string Container,
    string Key,
    string Version,
    long? SizeBytes,
    string Status,
    long RowsLoaded,
    long RowsRejected,
    string? Reason,
    DateTime StartedAt,
    DateTime? FinishedAt);
