// Mirror of the official Kafka worker extension's type; see KafkaTriggerAttribute.cs.
namespace Microsoft.Azure.Functions.Worker;

/// <summary>The timestamp of a Kafka record.</summary>
public sealed class KafkaTimestamp
{
    /// <summary>Milliseconds since the Unix epoch.</summary>
    public long UnixTimestampMs { get; set; }

    /// <summary>Who set it.</summary>
    public KafkaTimestampType Type { get; set; }

    /// <summary>The timestamp as a <see cref="System.DateTimeOffset"/> (UTC).</summary>
    public DateTimeOffset DateTimeOffset => DateTimeOffset.FromUnixTimeMilliseconds(UnixTimestampMs);
}
