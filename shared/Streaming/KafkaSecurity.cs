using Confluent.Kafka;

namespace ToxicFunctions.Streaming;

/// <summary>
/// The one mapping of the Kafka security settings (<see cref="KafkaOptions.Protocol"/>,
/// <see cref="KafkaOptions.AuthenticationMode"/>, user name, password, CA file) onto librdkafka's configuration, used by
/// every Kafka client of the app: the relay's producer, the watermark consumer, the lag sampler's admin client and the
/// local host's trigger. The enums share their values with Confluent.Kafka's, as the Functions Kafka extension's do.
/// </summary>
public static class KafkaSecurity
{
    /// <summary>Sets <paramref name="config"/>'s security settings from <paramref name="options"/> (which <see cref="Validate"/> accepts).</summary>
    public static void Apply(ClientConfig config, KafkaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Apply(config, options.Protocol, options.AuthenticationMode, options.Username, options.Password, options.SslCaLocation);
    }

    /// <summary>Sets <paramref name="config"/>'s security settings; nothing is set for plaintext without SASL.</summary>
    public static void Apply(
        ClientConfig config,
        KafkaProtocol protocol,
        KafkaAuthenticationMode mode,
        string? username,
        string? password,
        string? sslCaLocation)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (protocol != KafkaProtocol.NotSet)
        {
            config.SecurityProtocol = (SecurityProtocol)(int)protocol;
        }

        if (mode != KafkaAuthenticationMode.NotSet)
        {
            config.SaslMechanism = (SaslMechanism)(int)mode;
            config.SaslUsername = username;
            config.SaslPassword = password;
        }

        if (!string.IsNullOrEmpty(sslCaLocation))
        {
            config.SslCaLocation = sslCaLocation;
        }
    }

    /// <summary>What is wrong with the security settings of <paramref name="options"/>; empty when they are usable.</summary>
    public static IReadOnlyList<string> Validate(KafkaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (!Enum.IsDefined(options.Protocol))
        {
            errors.Add($"Kafka:Protocol '{options.Protocol}' is unknown: use {Names<KafkaProtocol>()}.");
        }

        if (!Enum.IsDefined(options.AuthenticationMode))
        {
            errors.Add($"Kafka:AuthenticationMode '{options.AuthenticationMode}' is unknown: use {Names<KafkaAuthenticationMode>()}.");
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        var sasl = options.Protocol is KafkaProtocol.SaslPlaintext or KafkaProtocol.SaslSsl;
        var tls = options.Protocol is KafkaProtocol.Ssl or KafkaProtocol.SaslSsl;
        switch (options.AuthenticationMode)
        {
            case KafkaAuthenticationMode.Gssapi or KafkaAuthenticationMode.OAuthBearer:
                // Kerberos needs a keytab and principal, OAUTHBEARER a token provider: settings this app does not carry.
                errors.Add($"Kafka:AuthenticationMode {options.AuthenticationMode} is not supported by these settings (it needs Kerberos or OIDC settings the app does not read): use Plain, ScramSha256 or ScramSha512.");
                break;
            case KafkaAuthenticationMode.NotSet when sasl:
                errors.Add($"Kafka:Protocol {options.Protocol} needs Kafka:AuthenticationMode (Plain, ScramSha256 or ScramSha512).");
                break;
            case not KafkaAuthenticationMode.NotSet when !sasl:
                errors.Add($"Kafka:AuthenticationMode {options.AuthenticationMode} needs Kafka:Protocol SaslSsl or SaslPlaintext, not {options.Protocol}.");
                break;
            case not KafkaAuthenticationMode.NotSet:
                if (string.IsNullOrEmpty(options.Username) || string.IsNullOrEmpty(options.Password))
                {
                    errors.Add($"Kafka:AuthenticationMode {options.AuthenticationMode} needs Kafka:Username and Kafka:Password (Event Hubs: $ConnectionString and the namespace's connection string).");
                }

                break;
            default:
                break;
        }

        // A user name or password that no SASL mechanism sends would be silently ignored: say so instead.
        if (options.AuthenticationMode == KafkaAuthenticationMode.NotSet && (!string.IsNullOrEmpty(options.Username) || !string.IsNullOrEmpty(options.Password)))
        {
            errors.Add("Kafka:Username or Kafka:Password is set without Kafka:AuthenticationMode: it would not be sent.");
        }

        if (!string.IsNullOrEmpty(options.SslCaLocation))
        {
            if (!tls)
            {
                errors.Add($"Kafka:SslCaLocation is set but Kafka:Protocol {options.Protocol} uses no TLS (Ssl or SaslSsl).");
            }
            else if (!File.Exists(options.SslCaLocation))
            {
                errors.Add($"Kafka:SslCaLocation '{options.SslCaLocation}' is not a file.");
            }
        }

        return errors;
    }

    private static string Names<T>()
        where T : struct, Enum => string.Join(", ", Enum.GetNames<T>());
}
