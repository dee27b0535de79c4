namespace ToxicFunctions.Streaming;

/// <summary>A Kafka message as the stream function receives it.</summary>
/// <param name="Topic">The topic.</param>
/// <param name="Partition">The partition.</param>
/// <param name="Offset">The offset within the partition.</param>
/// <param name="Key">The key bytes (UTF-8 JSON for Debezium events), if any.</param>
/// <param name="Value">The value bytes; null for a tombstone.</param>
/// <param name="Timestamp">The record's Kafka timestamp, when the trigger provides it.</param>
/// <param name="TraceParent">The W3C <c>traceparent</c> header the relay set (its source transaction's span), if any.</param>
public sealed record StreamMessage(
    string Topic, int Partition, long Offset, byte[]? Key, byte[]? Value, DateTimeOffset? Timestamp = null, string? TraceParent = null);
