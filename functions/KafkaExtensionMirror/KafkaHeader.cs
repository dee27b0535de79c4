// Mirror of the official Kafka worker extension's type; see KafkaTriggerAttribute.cs.
namespace Microsoft.Azure.Functions.Worker;

/// <summary>One header of a Kafka record.</summary>
public sealed class KafkaHeader
{
    /// <summary>The header's key.</summary>
    public string Key { get; set; } = "";

    /// <summary>The header's value bytes; null when it has none.</summary>
    public byte[]? Value { get; set; }

    /// <summary>The value as UTF-8 text, or null.</summary>
    public string? GetValueAsString() => Value is null ? null : System.Text.Encoding.UTF8.GetString(Value);
}
