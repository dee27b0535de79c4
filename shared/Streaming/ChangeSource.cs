namespace ToxicFunctions.Streaming;

/// <summary>Where and when a change happened: the <c>source</c> block of a Debezium envelope.</summary>
/// <param name="Lsn">The WAL position of the change (for a snapshot row, the slot's consistent point).</param>
/// <param name="CommitLsn">The commit position of its transaction.</param>
/// <param name="TransactionId">The transaction id, when known.</param>
/// <param name="CommittedAt">When the transaction committed.</param>
/// <param name="Snapshot">"false" for streamed changes; "true" or "last" for snapshot rows.</param>
public sealed record ChangeSource(ulong Lsn, ulong CommitLsn, uint? TransactionId, DateTimeOffset CommittedAt, string Snapshot);
