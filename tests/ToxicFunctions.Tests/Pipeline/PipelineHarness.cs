using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ToxicFunctions.Ingestion;
using ToxicFunctions.Orchestrations;
using ToxicFunctions.Pipeline;
using ToxicFunctions.Storage;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Pipeline;

/// <summary>
/// The training pipeline on the in-process Durable Task backend, with the product's services on the test class's
/// database and a bucket of its own on the real S3 store (or a container on Azurite); a test may swap a dependency when it starts it.
/// </summary>
internal sealed class PipelineHarness : IAsyncDisposable
{
    private readonly IHost _host;

    private PipelineHarness(IHost host, string bucket)
    {
        _host = host;
        Bucket = bucket;
    }

    public string Bucket { get; }

    public IServiceProvider Services => _host.Services;

    public DurableTaskClient Client => _host.Services.GetRequiredService<DurableTaskClient>();

    public T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    public static async Task<PipelineHarness> StartAsync(
        TestDatabase database, Action<IServiceCollection>? configure = null, StorageProvider provider = StorageProvider.S3)
    {
        var bucket = $"test-ml-{Guid.NewGuid():N}"[..24];
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(TestSettings.Configuration);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Postgres:ConnectionString"] = database.ConnectionString,
            ["Postgres:MigrateOnStartup"] = "false",
            ["Pipeline:ArtifactsBucket"] = bucket,
            ["S3:ReportsBucket"] = bucket,
            ["Storage:Provider"] = provider.ToString(),
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddToxicFunctions(builder.Configuration);
        configure?.Invoke(builder.Services);
        builder.Services.AddInMemoryDurableTask(registry => registry.AddDurableFunctions(typeof(TrainingPipeline).Assembly), new InMemoryDurableTaskOptions { Port = ToxicCli.FreePort() });
        var host = builder.Build();
        await host.StartAsync();
        return new PipelineHarness(host, bucket);
    }

    /// <summary>Starts the pipeline with the real artifact store wrapped by <paramref name="wrapStore"/> (fault injection).</summary>
    public static Task<PipelineHarness> StartAsync(TestDatabase database, Func<IArtifactStore, IArtifactStore> wrapStore) =>
        StartAsync(database, services =>
        {
            services.Replace(ServiceDescriptor.Singleton<IArtifactStore>(sp => wrapStore(
                sp.GetRequiredService<ArtifactStores>().For(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<PipelineOptions>>().Value.ArtifactsBucket))));
        });

    /// <summary>
    /// Loads the sample data's first 3,000 comments into staging, as an S3 notification would (the whole 10,000 go through
    /// ./run.sh): the real sample's where it is found, else the generated fixture's (<see cref="SampleData"/>).
    /// </summary>
    public static async Task<SampleFile> IngestSampleAsync(TestDatabase database)
    {
        var sample = await SampleData.PrefixAsync(3000);
        var file = new FileInfo(sample.Path);
        await using var obj = new RawObject(new ObjectRef("file", "sample", file.Name, "v1", file.Length), file.OpenRead());
        var result = await database.Get<BatchIngestService>().IngestAsync(obj);
        Assert.Equal(IngestOutcome.Loaded, result.Outcome);
        Assert.Equal(sample.Rows, result.RowsLoaded);
        return sample;
    }

    public async Task<OrchestrationMetadata> RunAsync(PipelineRequest request)
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(TrainingPipeline), request);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        return await Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await HostShutdown.StopAndDisposeAsync(_host);
    }


}
