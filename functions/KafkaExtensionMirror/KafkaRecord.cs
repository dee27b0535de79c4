// Mirror of the official Kafka worker extension's type; see KafkaTriggerAttribute.cs.
namespace Microsoft.Azure.Functions.Worker;

/// <summary>One Kafka record handed to a Kafka-triggered function, key and value as raw bytes (mirror of the official extension's type).</summary>
public sealed class KafkaRecord
{
    /// <summary>The topic it was read from.</summary>
    public string Topic { get; set; } = "";

    /// <summary>The partition.</summary>
    public int Partition { get; set; }

    /// <summary>The offset within the partition.</summary>
    public long Offset { get; set; }

    /// <summary>The key bytes; null when the record has no key.</summary>
    public byte[]? Key { get; set; }

    /// <summary>The value bytes; null for a tombstone.</summary>
    public byte[]? Value { get; set; }

    /// <summary>The record's timestamp.</summary>
    public KafkaTimestamp? Timestamp { get; set; }

    /// <summary>The record's headers.</summary>
    public KafkaHeader[] Headers { get; set; } = [];

    /// <summary>The leader epoch, when the broker gave one.</summary>
    public int? LeaderEpoch { get; set; }
}
