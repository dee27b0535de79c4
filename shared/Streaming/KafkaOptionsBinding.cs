using Microsoft.Extensions.Configuration;

namespace ToxicFunctions.Streaming;

/// <summary>
/// Binds the <c>Kafka</c> section to <see cref="KafkaOptions"/>. The two enum settings are checked by name first, so
/// that an unknown value (such as librdkafka's <c>SASL_SSL</c>) is refused with the accepted names rather than the
/// binder's conversion error; names are matched without regard to case (<c>saslSsl</c>), an empty value is NotSet.
/// </summary>
public static class KafkaOptionsBinding
{
    /// <summary>Binds <paramref name="section"/> onto <paramref name="options"/>.</summary>
    /// <exception cref="InvalidOperationException">Kafka:Protocol or Kafka:AuthenticationMode is not one of the accepted names.</exception>
    public static void Bind(IConfiguration section, KafkaOptions options)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(options);
        var protocol = Parse(section, nameof(KafkaOptions.Protocol), KafkaProtocol.NotSet);
        var mode = Parse(section, nameof(KafkaOptions.AuthenticationMode), KafkaAuthenticationMode.NotSet);
        // The binder refuses an empty enum value, which here means NotSet: it binds the other keys only.
        string[] parsed = [nameof(KafkaOptions.Protocol), nameof(KafkaOptions.AuthenticationMode)];
        var others = section.AsEnumerable(makePathsRelative: true)
            .Where(p => p.Value is not null && !parsed.Contains(p.Key, StringComparer.OrdinalIgnoreCase));
        new ConfigurationBuilder().AddInMemoryCollection(others).Build().Bind(options);
        options.Protocol = protocol;
        options.AuthenticationMode = mode;
    }

    private static T Parse<T>(IConfiguration section, string key, T notSet)
        where T : struct, Enum
    {
        var value = section[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return notSet;
        }

        // Names only: Enum.TryParse also takes numbers, which would let "7" through as an undefined value.
        var name = Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, value.Trim(), StringComparison.OrdinalIgnoreCase));
        return name is not null
            ? Enum.Parse<T>(name)
            : throw new InvalidOperationException(
                $"Kafka:{key} '{value}' is unknown: use one of {string.Join(", ", Enum.GetNames<T>())} (any case; empty is NotSet).");
    }
}
