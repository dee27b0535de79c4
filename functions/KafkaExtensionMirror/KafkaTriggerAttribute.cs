using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

// The Kafka worker extension (Microsoft.Azure.Functions.Worker.Extensions.Kafka) is not obtainable here. This file
// mirrors its trigger attribute, in its namespace and with its names, so that switching to the package is one change:
// delete this folder's KafkaTriggerAttribute.cs and KafkaRecord.cs and add the package (which also brings the host's
// Kafka extension). Until then functions.metadata carries a correct kafkaTrigger binding.
namespace Microsoft.Azure.Functions.Worker;

/// <summary>Triggers a function with events of a Kafka topic (mirror of the official extension's attribute).</summary>
/// <param name="brokerList">The app setting holding the brokers, or the broker list itself.</param>
/// <param name="topic">The topic; <c>%Setting%</c> binding expressions are resolved by the host.</param>
[BindingCapabilities(KnownBindingCapabilities.FunctionLevelRetry)]
public sealed class KafkaTriggerAttribute(string brokerList, string topic) : TriggerBindingAttribute, ISupportCardinality
{
    /// <summary>The app setting holding the brokers, or the broker list itself.</summary>
    public string BrokerList { get; } = brokerList;

    /// <summary>The topic.</summary>
    public string Topic { get; } = topic;

    /// <summary>The consumer group.</summary>
    public string? ConsumerGroup { get; set; }

    /// <summary>Whether the function receives a batch of events per invocation.</summary>
    public bool IsBatched { get; set; }

    /// <summary>SASL user name (sasl.username), when the brokers need one.</summary>
    public string? Username { get; set; }

    /// <summary>SASL password (sasl.password), when the brokers need one.</summary>
    public string? Password { get; set; }

    Cardinality ISupportCardinality.Cardinality
    {
        get => IsBatched ? Cardinality.Many : Cardinality.One;
        set => IsBatched = value == Cardinality.Many;
    }
}
