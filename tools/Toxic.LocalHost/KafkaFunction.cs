using System.Reflection;
using Confluent.Kafka;
using Microsoft.Azure.Functions.Worker;
using ToxicFunctions.Streaming;

namespace ToxicFunctions.LocalHost;

/// <summary>
/// A Kafka-triggered function of the Function App, as its attributes declare it: <c>[Function(Name)]</c> on the method,
/// <c>[KafkaTrigger(brokerList, topic, ...)]</c> on one parameter, and the retry policy it declares, if any.
/// </summary>
/// <param name="Name">The function name.</param>
/// <param name="Method">The method the Functions host invokes.</param>
/// <param name="Trigger">The trigger attribute, as declared (unresolved).</param>
/// <param name="Retry">The retry policy the method declares, or null.</param>
internal sealed record KafkaFunction(string Name, MethodInfo Method, KafkaTriggerAttribute Trigger, RetryAttribute? Retry)
{
    /// <summary>Every Kafka-triggered function declared in <paramref name="assembly"/>, by name.</summary>
    public static IReadOnlyList<KafkaFunction> Discover(Assembly assembly) =>
        [.. HttpFunction.FunctionMethods(assembly)
            .Select(m => (Method: m, Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<KafkaTriggerAttribute>()).SingleOrDefault(a => a is not null)))
            .Where(f => f.Trigger is not null)
            .Select(f => new KafkaFunction(f.Method.GetCustomAttribute<FunctionAttribute>()!.Name, f.Method, f.Trigger!, f.Method.GetCustomAttribute<RetryAttribute>()))
            .OrderBy(f => f.Name, StringComparer.Ordinal)];

    /// <summary>The topic, resolved as the extension resolves it.</summary>
    /// <exception cref="InvalidOperationException">A <c>%setting%</c> it names is not set.</exception>
    public string ResolveTopic(IConfiguration configuration) =>
        BindingExpressions.ResolveSecureSetting(Trigger.Topic, configuration, $"The topic of Kafka function {Name}")
        ?? throw new InvalidOperationException($"Kafka function {Name} declares no topic.");

    /// <summary>
    /// The consumer's connection settings as the official extension derives them from the attribute: brokers, group, and,
    /// when the protocol or the authentication mode is set, the SASL and TLS settings (each string resolved as the
    /// extension does: <c>%name%</c>, then the app setting the result names, else the text itself).
    /// </summary>
    /// <exception cref="InvalidOperationException">No consumer group, no brokers, or a <c>%setting%</c> that is not set.</exception>
    public ConsumerConfig ConsumerConfig(IConfiguration configuration)
    {
        string? Resolve(string? declared, string what) => BindingExpressions.ResolveSecureSetting(declared, configuration, $"The {what} of Kafka function {Name}");
        var config = new ConsumerConfig
        {
            BootstrapServers = Resolve(Trigger.BrokerList, "broker list") is { Length: > 0 } brokers
                ? brokers
                : throw new InvalidOperationException($"Kafka function {Name} declares no brokers."),
            GroupId = Resolve(Trigger.ConsumerGroup, "consumer group") is { Length: > 0 } group
                ? group
                : throw new InvalidOperationException($"Kafka function {Name} declares no ConsumerGroup; the local host needs one to commit offsets."),
        };
        if (Trigger.Protocol == BrokerProtocol.NotSet && Trigger.AuthenticationMode == BrokerAuthenticationMode.NotSet)
        {
            return config;
        }

        // The same mapping as every other Kafka client of the app; the extension's enums have the shared ones' values.
        KafkaSecurity.Apply(
            config,
            (KafkaProtocol)(int)Trigger.Protocol,
            (KafkaAuthenticationMode)(int)Trigger.AuthenticationMode,
            Resolve(Trigger.Username, "user name"),
            Resolve(Trigger.Password, "password"),
            Resolve(Trigger.SslCaLocation, "CA location"));
        config.SslCertificateLocation = Resolve(Trigger.SslCertificateLocation, "certificate location");
        config.SslKeyLocation = Resolve(Trigger.SslKeyLocation, "key location");
        config.SslKeyPassword = Resolve(Trigger.SslKeyPassword, "key password");

        if (Trigger.AuthenticationMode == BrokerAuthenticationMode.OAuthBearer && Trigger.OAuthBearerMethod == OAuthBearerMethod.Oidc)
        {
            config.SaslOauthbearerMethod = SaslOauthbearerMethod.Oidc;
            config.SaslOauthbearerClientId = Resolve(Trigger.OAuthBearerClientId, "OAuth client id");
            config.SaslOauthbearerClientSecret = Resolve(Trigger.OAuthBearerClientSecret, "OAuth client secret");
            config.SaslOauthbearerScope = Resolve(Trigger.OAuthBearerScope, "OAuth scope");
            config.SaslOauthbearerTokenEndpointUrl = Resolve(Trigger.OAuthBearerTokenEndpointUrl, "OAuth token endpoint");
            config.SaslOauthbearerExtensions = Resolve(Trigger.OAuthBearerExtensions, "OAuth extensions");
        }

        return config;
    }
}
