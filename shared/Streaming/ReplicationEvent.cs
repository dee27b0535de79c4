namespace ToxicFunctions.Streaming;

/// <summary>
/// What <see cref="PgOutputDecoder"/> makes of the replication stream: transaction boundaries, which the relay tracks
/// until Kafka holds their events, and the <see cref="CapturedChange"/>s between them.
/// </summary>
internal abstract record ReplicationEvent;

/// <summary>A source transaction begins; its changes follow.</summary>
internal sealed record TransactionBegun : ReplicationEvent;

/// <summary>A source transaction committed.</summary>
/// <param name="EndLsn">The WAL position just past its commit: confirming it to PostgreSQL releases the transaction.</param>
internal sealed record TransactionCommitted(ulong EndLsn) : ReplicationEvent;
