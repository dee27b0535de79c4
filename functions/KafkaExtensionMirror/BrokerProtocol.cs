// Mirror of the official Kafka worker extension's type; see KafkaTriggerAttribute.cs.
namespace Microsoft.Azure.Functions.Worker;

/// <summary>Security protocol to the brokers (librdkafka's security.protocol; the values are Confluent.Kafka's).</summary>
public enum BrokerProtocol
{
    /// <summary>Not set: librdkafka's default, plaintext.</summary>
    NotSet = -1,

    /// <summary>No TLS, no SASL.</summary>
    Plaintext,

    /// <summary>TLS.</summary>
    Ssl,

    /// <summary>SASL without TLS.</summary>
    SaslPlaintext,

    /// <summary>SASL over TLS (Azure Event Hubs, Confluent Cloud).</summary>
    SaslSsl,
}
