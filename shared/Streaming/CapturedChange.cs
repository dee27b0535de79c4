namespace ToxicFunctions.Streaming;

/// <summary>
/// One change event of a captured table, as the relay produces it: a streamed row change, a snapshot row, or a
/// truncate of the whole table. Rows hold column values in PostgreSQL's text format, in the table's column order.
/// </summary>
/// <param name="Table">The table changed.</param>
/// <param name="Op">c (create), u (update), d (delete), r (snapshot read) or t (truncate).</param>
/// <param name="Before">The old row (updates and deletes under REPLICA IDENTITY FULL; the key for other deletes), else null.</param>
/// <param name="After">The new row (creates, updates, reads), else null.</param>
/// <param name="Source">Where the change comes from.</param>
internal sealed record CapturedChange(
    CapturedTable Table, char Op, IReadOnlyList<string?>? Before, IReadOnlyList<string?>? After, ChangeSource Source) : ReplicationEvent
{
    /// <summary>A truncate names no row, so its event has no key.</summary>
    public bool IsTruncate => Op == 't';
}
