using System.Reflection;
using System.Text.RegularExpressions;
using ToxicFunctions.Database;
using ToxicFunctions.Streaming;

namespace ToxicFunctions.Tests.Deploy;

/// <summary>
/// The CDC relay's container (tools/Toxic.Cli/Dockerfile, `toxic cdc-relay`), which deploy/k8s/base/cdc-relay.yaml and
/// docker-compose.yml's cdc-relay service run: its image, its user, and the settings it reads.
/// </summary>
internal static class CdcRelayContainer
{
    /// <summary>The relay's image (the repository part, without a tag).</summary>
    public const string Image = "toxicfunctions/cdc-relay";

    /// <summary>The relay image's Dockerfile, relative to the repository root.</summary>
    public const string Dockerfile = "tools/Toxic.Cli/Dockerfile";

    /// <summary>Kafka settings of the stream consumer (the trigger), which the relay's producer does not read.</summary>
    private static readonly string[] s_consumerOnly = [nameof(KafkaOptions.Topic), nameof(KafkaOptions.ConsumerGroup), nameof(KafkaOptions.MaxBatchSize)];

    /// <summary>
    /// The settings `toxic cdc-relay` reads, as environment variable names: the database (the relay and the migrations
    /// it applies first), every Kafka connection and security setting (<see cref="CdcProducerFactory"/>,
    /// <see cref="KafkaSecurity"/>) and every <see cref="CdcOptions"/> setting; from the options classes, so that a
    /// setting added there is one the deployments must pass.
    /// </summary>
    public static IReadOnlySet<string> Settings { get; } = new[] { $"{PostgresOptions.Section}__{nameof(PostgresOptions.ConnectionString)}" }
        .Concat(SettingsOf<KafkaOptions>(KafkaOptions.Section).Where(k => !s_consumerOnly.Any(c => k == $"{KafkaOptions.Section}__{c}")))
        .Concat(SettingsOf<CdcOptions>(CdcOptions.Section))
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>Whether a container image reference names the relay's image, with any tag or digest.</summary>
    public static bool IsRelayImage(string? image) =>
        image is not null && (image == Image || image.StartsWith(Image + ":", StringComparison.Ordinal) || image.StartsWith(Image + "@", StringComparison.Ordinal));

    /// <summary>The Dockerfile's APP_UID: the numeric user the image runs as.</summary>
    public static long User() =>
        long.Parse(Regex.Match(File.ReadAllText(Repository.PathOf(Dockerfile)), @"(?m)^ARG APP_UID=(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    private static IEnumerable<string> SettingsOf<T>(string section) =>
        typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => $"{section}__{p.Name}");
}
