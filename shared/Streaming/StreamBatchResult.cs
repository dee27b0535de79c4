namespace ToxicFunctions.Streaming;

/// <summary>What one batch of change events did to staging.</summary>
/// <param name="Events">Messages in the batch.</param>
/// <param name="Applied">Comments written (upserted or marked deleted); older events and repeats do not count.</param>
/// <param name="Tombstones">Tombstones, which need no action.</param>
/// <param name="DeadLettered">Events that could not be applied, stored in staging.stream_dead_letters.</param>
public sealed record StreamBatchResult(int Events, int Applied, int Tombstones, int DeadLettered)
{
    /// <summary>Rows that truncate events turned into tombstones.</summary>
    public long Truncated { get; init; }

    /// <summary>Offset gaps found in the batch (see <see cref="OffsetGap"/>).</summary>
    public int OffsetGaps { get; init; }
}
