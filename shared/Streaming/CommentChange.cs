namespace ToxicFunctions.Streaming;

/// <summary>A change of one source comment, read from a Debezium envelope.</summary>
/// <param name="SourceId">The comment's primary key.</param>
/// <param name="Op">c (create), u (update), d (delete) or r (snapshot read).</param>
/// <param name="Lsn">The WAL position of the change: a later change of the same comment has a higher one.</param>
/// <param name="CommittedAt">When the source transaction committed.</param>
/// <param name="Text">The comment text after the change (null for a delete).</param>
/// <param name="Label">The label after the change (null for a delete).</param>
public sealed record CommentChange(Guid SourceId, char Op, ulong Lsn, DateTimeOffset CommittedAt, string? Text, short? Label)
{
    /// <summary>Whether the change removes the comment.</summary>
    public bool IsDelete => Op == 'd';
}
