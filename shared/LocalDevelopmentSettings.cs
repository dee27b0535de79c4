using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace ToxicFunctions;

/// <summary>
/// Settings that point at the local services started by <c>scripts/services.sh up</c>. The local host and the CLI
/// start from these and let configuration (environment variables such as <c>Postgres__ConnectionString</c>)
/// override any of them; the Functions app reads local.settings.json or app settings instead.
/// </summary>
public static class LocalDevelopmentSettings
{
    /// <summary>Azurite's well-known development account (public, documented by Microsoft).</summary>
    public const string AzuriteConnectionString =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;" +
        "TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";

    /// <summary>The defaults, as configuration keys and values.</summary>
    public static IReadOnlyDictionary<string, string?> Values { get; } = new Dictionary<string, string?>
    {
        ["Postgres:ConnectionString"] = "Host=127.0.0.1;Port=55432;Username=toxic;Database=toxic",
        ["S3:ServiceUrl"] = "http://127.0.0.1:7480",
        ["S3:AccessKey"] = "test",
        ["S3:SecretKey"] = "testsecret",
        ["S3:RawBucket"] = "raw",
        [ToxicServiceCollectionExtensions.RawStorageSetting] = AzuriteConnectionString,
        [ToxicServiceCollectionExtensions.RawBlobContainerSetting] = "raw",
        ["Kafka:BootstrapServers"] = "127.0.0.1:9092",

        // The Kafka trigger's %setting% topic and group, which a Functions host requires as app settings.
        ["Kafka:Topic"] = Streaming.KafkaOptions.DefaultTopic,
        ["Kafka:ConsumerGroup"] = Streaming.KafkaOptions.DefaultConsumerGroup,

        // The timer triggers' %setting% schedules, which a Functions host requires as app settings.
        ["Pipeline:Schedule"] = Pipeline.PipelineOptions.DefaultSchedule,
        ["Pipeline:EncodingSchedule"] = Pipeline.PipelineOptions.DefaultEncodingSchedule,
    };

    /// <summary>Adds the defaults beneath every other configuration source, so that anything configured wins.</summary>
    public static IConfigurationBuilder AddLocalDevelopmentDefaults(this IConfigurationBuilder builder)
    {
        builder.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Values });
        return builder;
    }
}
