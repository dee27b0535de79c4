namespace ToxicFunctions.Streaming;

/// <summary>
/// Offsets of a partition that the stream consumer expected but never received: the broker no longer held them when
/// the consumer got there (retention deleted them unconsumed), and the consumer's offset reset skipped to
/// <paramref name="ResumedOffset"/>. A row of <c>staging.stream_offset_gaps</c>.
/// </summary>
/// <param name="ConsumerGroup">The consumer group.</param>
/// <param name="Topic">The topic.</param>
/// <param name="Partition">The partition.</param>
/// <param name="ExpectedOffset">The next offset the consumer expected (where its last applied batch ended).</param>
/// <param name="ResumedOffset">The offset it received instead; events from <paramref name="ExpectedOffset"/> up to this one are missing.</param>
/// <param name="LogStartOffset">The partition's oldest held offset when the gap was found; null when the brokers could not be asked.</param>
public sealed record OffsetGap(string ConsumerGroup, string Topic, int Partition, long ExpectedOffset, long ResumedOffset, long? LogStartOffset)
{
    /// <summary>How many offsets were skipped (an upper bound of the lost events).</summary>
    public long MissingEvents => ResumedOffset - ExpectedOffset;
}
