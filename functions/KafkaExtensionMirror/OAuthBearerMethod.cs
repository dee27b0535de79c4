// Mirror of the official Kafka worker extension's type; see KafkaTriggerAttribute.cs.
namespace Microsoft.Azure.Functions.Worker;

/// <summary>How an OAUTHBEARER token is obtained (librdkafka's sasl.oauthbearer.method).</summary>
public enum OAuthBearerMethod
{
    /// <summary>librdkafka's default (unsecured JWT, for development).</summary>
    Default,

    /// <summary>OIDC client credentials, fetched by librdkafka.</summary>
    Oidc,

    /// <summary>OIDC client credentials, fetched by the extension in managed code.</summary>
    OidcManaged,
}
