// Mirror of the official Kafka worker extension's type; see KafkaTriggerAttribute.cs.
namespace Microsoft.Azure.Functions.Worker;

/// <summary>SASL mechanism (librdkafka's sasl.mechanism; the values are Confluent.Kafka's).</summary>
public enum BrokerAuthenticationMode
{
    /// <summary>Not set.</summary>
    NotSet = -1,

    /// <summary>GSSAPI (Kerberos).</summary>
    Gssapi,

    /// <summary>PLAIN (Azure Event Hubs, Confluent Cloud).</summary>
    Plain,

    /// <summary>SCRAM-SHA-256.</summary>
    ScramSha256,

    /// <summary>SCRAM-SHA-512.</summary>
    ScramSha512,

    /// <summary>OAUTHBEARER.</summary>
    OAuthBearer,
}
