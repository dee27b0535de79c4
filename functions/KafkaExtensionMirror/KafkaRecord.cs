// Mirror of the official Kafka worker extension's record type; see KafkaTriggerAttribute.cs.
namespace Microsoft.Azure.Functions.Worker;

/// <summary>One Kafka record handed to a Kafka-triggered function (mirror of the official extension's type).</summary>
public sealed class KafkaRecord
{
    /// <summary>The topic.</summary>
    public required string Topic { get; init; }

    /// <summary>The partition.</summary>
    public required int Partition { get; init; }

    /// <summary>The offset within the partition.</summary>
    public required long Offset { get; init; }

    /// <summary>The key bytes, if any.</summary>
    public byte[]? Key { get; init; }

    /// <summary>The value bytes; null for a tombstone.</summary>
    public byte[]? Value { get; init; }

    /// <summary>The record's timestamp (producer create time or broker log-append time), when known.</summary>
    public DateTimeOffset? Timestamp { get; init; }
}
