using Microsoft.Azure.Functions.Worker;
using ToxicFunctions.Streaming;

namespace ToxicFunctions.Functions.Streaming;

/// <summary>
/// The security protocol and SASL mechanism the Kafka trigger is built with. The Kafka extension declares both as enum
/// properties of <c>[KafkaTrigger]</c>, which take no <c>%setting%</c>, so they are chosen when the app is built:
/// <c>-p:KafkaProtocol=SaslSsl -p:KafkaAuthenticationMode=Plain</c> (Azure Event Hubs, Confluent Cloud); the default
/// build leaves both NotSet (plaintext, the dev broker). User name and password come from the settings
/// (<c>%Kafka:Username%</c>, <c>%Kafka:Password%</c>). <see cref="Check"/> makes a host refuse to start when the
/// settings Kafka:Protocol and Kafka:AuthenticationMode, which the app's other Kafka clients use, say otherwise.
/// </summary>
public static class KafkaTriggerSecurity
{
#if KAFKA_PROTOCOL_PLAINTEXT
    /// <summary>The trigger's protocol (build property KafkaProtocol).</summary>
    public const BrokerProtocol Protocol = BrokerProtocol.Plaintext;
#elif KAFKA_PROTOCOL_SSL
    /// <summary>The trigger's protocol (build property KafkaProtocol).</summary>
    public const BrokerProtocol Protocol = BrokerProtocol.Ssl;
#elif KAFKA_PROTOCOL_SASLPLAINTEXT
    /// <summary>The trigger's protocol (build property KafkaProtocol).</summary>
    public const BrokerProtocol Protocol = BrokerProtocol.SaslPlaintext;
#elif KAFKA_PROTOCOL_SASLSSL
    /// <summary>The trigger's protocol (build property KafkaProtocol).</summary>
    public const BrokerProtocol Protocol = BrokerProtocol.SaslSsl;
#else
    /// <summary>The trigger's protocol (build property KafkaProtocol).</summary>
    public const BrokerProtocol Protocol = BrokerProtocol.NotSet;
#endif

#if KAFKA_AUTHENTICATION_PLAIN
    /// <summary>The trigger's SASL mechanism (build property KafkaAuthenticationMode).</summary>
    public const BrokerAuthenticationMode AuthenticationMode = BrokerAuthenticationMode.Plain;
#elif KAFKA_AUTHENTICATION_SCRAMSHA256
    /// <summary>The trigger's SASL mechanism (build property KafkaAuthenticationMode).</summary>
    public const BrokerAuthenticationMode AuthenticationMode = BrokerAuthenticationMode.ScramSha256;
#elif KAFKA_AUTHENTICATION_SCRAMSHA512
    /// <summary>The trigger's SASL mechanism (build property KafkaAuthenticationMode).</summary>
    public const BrokerAuthenticationMode AuthenticationMode = BrokerAuthenticationMode.ScramSha512;
#else
    /// <summary>The trigger's SASL mechanism (build property KafkaAuthenticationMode).</summary>
    public const BrokerAuthenticationMode AuthenticationMode = BrokerAuthenticationMode.NotSet;
#endif

    /// <summary>The trigger's user name: the setting Kafka:Username.</summary>
    public const string Username = "%Kafka:Username%";

    /// <summary>The trigger's password: the setting Kafka:Password.</summary>
    public const string Password = "%Kafka:Password%";

    /// <summary>
    /// Null when the settings agree with what the trigger was built with (NotSet and Plaintext count as the same
    /// protocol); else why not, naming the build properties to set.
    /// </summary>
    public static string? Check(KafkaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var built = Normalize((KafkaProtocol)(int)Protocol);
        var configured = Normalize(options.Protocol);
        var builtMode = (KafkaAuthenticationMode)(int)AuthenticationMode;
        if (built == configured && builtMode == options.AuthenticationMode)
        {
            return null;
        }

        return $"The Kafka trigger is built with Protocol {built} and AuthenticationMode {builtMode}, but the settings say "
            + $"Kafka:Protocol {configured} and Kafka:AuthenticationMode {options.AuthenticationMode}: build with "
            + $"-p:KafkaProtocol={configured} -p:KafkaAuthenticationMode={options.AuthenticationMode} (see the README, Event Hubs and Confluent Cloud).";
    }

    private static KafkaProtocol Normalize(KafkaProtocol protocol) => protocol == KafkaProtocol.NotSet ? KafkaProtocol.Plaintext : protocol;
}
