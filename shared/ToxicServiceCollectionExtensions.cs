using Amazon.S3;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using ToxicFunctions.Database;
using ToxicFunctions.Feedback;
using ToxicFunctions.Ingestion;
using ToxicFunctions.Lake;
using ToxicFunctions.Pipeline;
using ToxicFunctions.Quality;
using ToxicFunctions.Scoring;
using ToxicFunctions.Storage;
using ToxicFunctions.Streaming;
using ToxicFunctions.Telemetry;
using ToxicFunctions.Tokenization;
using ToxicFunctions.Training;

namespace ToxicFunctions;

/// <summary>Registers the pipeline's services; every host (Functions app, local host, CLI, tests) uses this one list.</summary>
public static class ToxicServiceCollectionExtensions
{
    /// <summary>The setting holding the Azure Storage connection string of the raw container (the blob trigger's connection).</summary>
    public const string RawStorageSetting = "RawStorage";

    /// <summary>The setting naming the blob container where raw CSV files land.</summary>
    public const string RawBlobContainerSetting = "RawBlobContainer";

    /// <summary>Adds settings, clients and services of the pipeline.</summary>
    public static IServiceCollection AddToxicFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddToxicMetrics();
        services.AddOptions<PostgresOptions>().Bind(configuration.GetSection(PostgresOptions.Section)).ValidateDataAnnotations();
        services.AddOptions<S3Options>().Bind(configuration.GetSection(S3Options.Section));
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>>(new StorageOptionsValidator(configuration));
        services.AddOptions<IngestOptions>().Bind(configuration.GetSection(IngestOptions.Section));
        services.AddOptions<KafkaOptions>()
            .Configure(o => KafkaOptionsBinding.Bind(configuration.GetSection(KafkaOptions.Section), o))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<KafkaOptions>, KafkaOptionsValidator>();
        services.AddOptions<CdcOptions>().Bind(configuration.GetSection(CdcOptions.Section));

        services.AddSingleton(sp => NpgsqlDataSource.Create(sp.GetRequiredService<IOptions<PostgresOptions>>().Value.ConnectionString));

        // The stream consumer's connections keep their session when they go back to the pool (no DISCARD ALL), so its
        // batch table is created once per connection, not once per batch: a quarter of a batch's time in PostgreSQL.
        services.AddKeyedSingleton(StreamChangeApplier.DataSourceKey, (sp, _) => new NpgsqlDataSourceBuilder(
            new NpgsqlConnectionStringBuilder(sp.GetRequiredService<IOptions<PostgresOptions>>().Value.ConnectionString) { NoResetOnClose = true }.ConnectionString)
            .Build());
        services.AddSingleton<IAmazonS3>(sp => S3ClientFactory.Create(sp.GetRequiredService<IOptions<S3Options>>().Value));
        services.AddSingleton(_ => new BlobServiceClient(
            configuration[RawStorageSetting] ?? throw new InvalidOperationException($"The setting {RawStorageSetting} is missing.")));
        services.AddKeyedSingleton(ArtifactStores.BlobClientKey, (_, _) => ArtifactBlobConnection.Create(configuration)
            ?? throw new InvalidOperationException($"The setting {StorageOptions.ConnectionSetting} is missing."));
        services.AddSingleton(_ => WordPieceTokenizer.DistilBertBaseUncased);

        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<S3RawObjects>();
        services.AddOptions<LakeOptions>().Bind(configuration.GetSection(LakeOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<LakeStores>();
        services.AddSingleton<RawCommentsLake>();
        services.AddSingleton<BatchIngestService>();
        services.AddSingleton<DeltaTableIngest>();
        services.AddSingleton<S3NotificationIngest>();
        services.AddSingleton<LoadHistory>();
        services.AddSingleton(sp => new S3NotificationSetup(
            sp.GetRequiredService<IAmazonS3>(), sp.GetRequiredService<IOptions<S3Options>>(), new HttpClient()));
        services.AddSingleton<PartitionWatermarks>();
        services.AddSingleton<StreamChangeApplier>();
        services.AddSingleton<CdcProducerFactory>();
        services.AddSingleton<CdcRelay>();
        services.AddSingleton<FeedbackService>();
        services.AddTransformAndQuality(configuration);
        services.AddHostedService<MigrateOnStartup>();
        services.AddToxicTraining();
        services.AddToxicPipeline(configuration);

        // POST /api/score serves the registry's champion, micro-batched.
        services.AddToxicScoring(configuration);
        services.AddSingleton<ModelSource>(sp => sp.GetRequiredService<ChampionScorer>());
        return services;
    }
}
