using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

// The Kafka worker extension (Microsoft.Azure.Functions.Worker.Extensions.Kafka) is not obtainable here. The files of
// this folder mirror its trigger's API, in its namespace and with its names, so that switching to the package is a
// build switch (-p:KafkaExtension=Official, see the README) that leaves this folder out and references the package.
namespace Microsoft.Azure.Functions.Worker;

/// <summary>
/// Triggers a function with events of a Kafka topic (mirror of the official extension's attribute, with every property
/// a deployment sets; the Avro and key-type properties of the package, which only typed payloads use, are left out).
/// String values are resolved as the extension resolves them: <c>%name%</c> expressions first, then, when the result
/// names an app setting, that setting's value.
/// </summary>
/// <param name="brokerList">The app setting holding the brokers, or the broker list itself.</param>
/// <param name="topic">The topic.</param>
[BindingCapabilities(KnownBindingCapabilities.FunctionLevelRetry)]
public sealed class KafkaTriggerAttribute(string brokerList, string topic) : TriggerBindingAttribute, ISupportCardinality
{
    /// <summary>The app setting holding the brokers, or the broker list itself (bootstrap.servers).</summary>
    public string BrokerList { get; } = brokerList;

    /// <summary>The topic.</summary>
    public string Topic { get; } = topic;

    /// <summary>The consumer group (group.id).</summary>
    public string? ConsumerGroup { get; set; }

    /// <summary>The security protocol (security.protocol); <see cref="BrokerProtocol.NotSet"/> is plaintext.</summary>
    public BrokerProtocol Protocol { get; set; } = BrokerProtocol.NotSet;

    /// <summary>The SASL mechanism (sasl.mechanism).</summary>
    public BrokerAuthenticationMode AuthenticationMode { get; set; } = BrokerAuthenticationMode.NotSet;

    /// <summary>SASL user name (sasl.username); for Azure Event Hubs <c>$ConnectionString</c>.</summary>
    public string? Username { get; set; }

    /// <summary>SASL password (sasl.password); for Azure Event Hubs the namespace's connection string.</summary>
    public string? Password { get; set; }

    /// <summary>Path of the CA certificate that verifies the brokers' certificates, PEM (ssl.ca.location).</summary>
    public string? SslCaLocation { get; set; }

    /// <summary>Path of the client's certificate, PEM (ssl.certificate.location).</summary>
    public string? SslCertificateLocation { get; set; }

    /// <summary>Path of the client's private key, PEM (ssl.key.location).</summary>
    public string? SslKeyLocation { get; set; }

    /// <summary>Password of the client's private key (ssl.key.password).</summary>
    public string? SslKeyPassword { get; set; }

    /// <summary>OAuth bearer method (sasl.oauthbearer.method).</summary>
    public OAuthBearerMethod OAuthBearerMethod { get; set; }

    /// <summary>OAuth client id, with <see cref="OAuthBearerMethod.Oidc"/> (sasl.oauthbearer.client.id).</summary>
    public string? OAuthBearerClientId { get; set; }

    /// <summary>OAuth client secret, with <see cref="OAuthBearerMethod.Oidc"/> (sasl.oauthbearer.client.secret).</summary>
    public string? OAuthBearerClientSecret { get; set; }

    /// <summary>OAuth scope, with <see cref="OAuthBearerMethod.Oidc"/> (sasl.oauthbearer.scope).</summary>
    public string? OAuthBearerScope { get; set; }

    /// <summary>OAuth token endpoint, with <see cref="OAuthBearerMethod.Oidc"/> (sasl.oauthbearer.token.endpoint.url).</summary>
    public string? OAuthBearerTokenEndpointUrl { get; set; }

    /// <summary>OAuth extensions, <c>key=value</c> pairs separated by commas (sasl.oauthbearer.extensions).</summary>
    public string? OAuthBearerExtensions { get; set; }

    /// <summary>Schema Registry URL, for Avro payloads.</summary>
    public string? SchemaRegistryUrl { get; set; }

    /// <summary>Schema Registry user name.</summary>
    public string? SchemaRegistryUsername { get; set; }

    /// <summary>Schema Registry password.</summary>
    public string? SchemaRegistryPassword { get; set; }

    /// <summary>
    /// Unprocessed events one instance is expected to handle; target-based scaling divides the consumer group's lag by
    /// it (KEDA's kafka scaler calls it lagThreshold). Default 1000.
    /// </summary>
    public long LagThreshold { get; set; } = 1000;

    /// <summary>Whether the function receives a batch of events per invocation.</summary>
    public bool IsBatched { get; set; }

    Cardinality ISupportCardinality.Cardinality
    {
        get => IsBatched ? Cardinality.Many : Cardinality.One;
        set => IsBatched = value == Cardinality.Many;
    }
}
