namespace ToxicFunctions.Streaming;

/// <summary>
/// Security protocol to the Kafka brokers (setting <c>Kafka:Protocol</c>): the names and values of the Azure Functions
/// Kafka extension's <c>BrokerProtocol</c>, which are Confluent.Kafka's <c>SecurityProtocol</c>.
/// </summary>
public enum KafkaProtocol
{
    /// <summary>Not set: plaintext, librdkafka's default.</summary>
    NotSet = -1,

    /// <summary>No TLS, no SASL (the dev broker).</summary>
    Plaintext,

    /// <summary>TLS without SASL.</summary>
    Ssl,

    /// <summary>SASL without TLS.</summary>
    SaslPlaintext,

    /// <summary>SASL over TLS (Azure Event Hubs, Confluent Cloud).</summary>
    SaslSsl,
}
