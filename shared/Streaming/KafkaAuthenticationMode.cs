namespace ToxicFunctions.Streaming;

/// <summary>
/// SASL mechanism (setting <c>Kafka:AuthenticationMode</c>): the names and values of the Azure Functions Kafka
/// extension's <c>BrokerAuthenticationMode</c>, which are Confluent.Kafka's <c>SaslMechanism</c>.
/// </summary>
public enum KafkaAuthenticationMode
{
    /// <summary>Not set: no SASL.</summary>
    NotSet = -1,

    /// <summary>GSSAPI (Kerberos).</summary>
    Gssapi,

    /// <summary>PLAIN (Azure Event Hubs: user <c>$ConnectionString</c>; Confluent Cloud: API key and secret).</summary>
    Plain,

    /// <summary>SCRAM-SHA-256.</summary>
    ScramSha256,

    /// <summary>SCRAM-SHA-512.</summary>
    ScramSha512,

    /// <summary>OAUTHBEARER.</summary>
    OAuthBearer,
}
