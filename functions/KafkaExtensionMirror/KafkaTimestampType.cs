// Mirror of the official Kafka worker extension's type; see KafkaTriggerAttribute.cs.
namespace Microsoft.Azure.Functions.Worker;

/// <summary>Who set a Kafka record's timestamp.</summary>
public enum KafkaTimestampType
{
    /// <summary>No timestamp.</summary>
    NotAvailable = 0,

    /// <summary>The producer (create time).</summary>
    CreateTime = 1,

    /// <summary>The broker (log-append time).</summary>
    LogAppendTime = 2,
}
