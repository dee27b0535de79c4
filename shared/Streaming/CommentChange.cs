namespace ToxicFunctions.Streaming;

/// <summary>A change of one source comment, read from a Debezium envelope.</summary>
/// <param name="SourceId">The comment's primary key (<see cref="Guid.Empty"/> for a truncate, which names no row).</param>
/// <param name="Op">c (create), u (update), d (delete), r (snapshot read) or t (truncate of the whole table).</param>
/// <param name="Lsn">The WAL position of the change.</param>
/// <param name="CommittedAt">When the source transaction committed.</param>
/// <param name="Text">
/// The comment text after the change (null for a delete, a truncate, or when <see cref="TextUnavailable"/>).
/// </param>
/// <param name="Label">The label after the change (null for a delete).</param>
/// <param name="CommitLsn">
/// The WAL position of the source transaction's commit (Debezium's <c>source.sequence</c>, first element), or
/// <paramref name="Lsn"/> when the event does not say. Changes apply in (commit, change) position order: a transaction
/// that began before the relay's snapshot point and committed after it has changes below that point, yet is newer.
/// </param>
public sealed record CommentChange(Guid SourceId, char Op, ulong Lsn, DateTimeOffset CommittedAt, string? Text, short? Label, ulong CommitLsn)
{
    /// <summary>Whether the change removes the comment.</summary>
    public bool IsDelete => Op == 'd';

    /// <summary>Whether the change empties the whole table (Debezium's truncate event, op <c>t</c>).</summary>
    public bool IsTruncate => Op == 't';

    /// <summary>
    /// Whether the connector could not read the text and sent its unavailable-value placeholder instead (an unchanged
    /// TOASTed column under replica identity DEFAULT): the stored text is still current, <see cref="Text"/> is null.
    /// </summary>
    public bool TextUnavailable { get; init; }

    /// <summary>
    /// Whether the row's label is a correction sent to <c>POST /api/feedback</c> (source.comments.feedback after the
    /// change; false for a delete, a truncate, and events that do not carry the column).
    /// </summary>
    public bool Feedback { get; init; }

    /// <summary>Whether this change comes after <paramref name="other"/> in (commit, change) position order.</summary>
    public bool IsAfter(CommentChange other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return CommitLsn != other.CommitLsn ? CommitLsn > other.CommitLsn : Lsn > other.Lsn;
    }
}
