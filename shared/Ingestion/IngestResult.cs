using ToxicFunctions.Storage;

namespace ToxicFunctions.Ingestion;

/// <summary>The result of ingesting one object version.</summary>
/// <param name="Object">The object version.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="LoadId">The row of <c>staging.loads</c> that records the load (or the skip, or the missing object).</param>
/// <param name="RowsLoaded">Records written to <c>staging.comments</c>.</param>
/// <param name="RowsRejected">Records written to <c>staging.rejected_records</c>.</param>
/// <param name="Reason">Why nothing was loaded, for <see cref="IngestOutcome.Failed"/>, <see cref="IngestOutcome.Skipped"/> and <see cref="IngestOutcome.NotFound"/>.</param>
public sealed record IngestResult(ObjectRef Object, IngestOutcome Outcome, long LoadId, long RowsLoaded, long RowsRejected, string? Reason);
