using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ToxicFunctions.Pipeline;

/// <summary>Registers the training pipeline's services (issue 5): snapshots, tracking, registry, training and evaluation.</summary>
public static class PipelineServiceCollectionExtensions
{
    /// <summary>Adds the pipeline's services; they need the database, S3 client, tokenizer and training service registered beside them.</summary>
    public static IServiceCollection AddToxicPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PipelineOptions>().Bind(configuration.GetSection(PipelineOptions.Section)).ValidateDataAnnotations();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IArtifactStore, S3ArtifactStore>();
        services.AddSingleton<SnapshotExtractor>();
        services.AddSingleton<ExperimentTracker>();
        services.AddSingleton<ModelRegistry>();
        services.AddSingleton<ModelPlots>();
        services.AddSingleton<CommentEncodingStore>();
        services.AddSingleton<PipelineTrainer>();
        services.AddSingleton<ModelEvaluator>();
        services.AddSingleton<ChampionScorer>();
        return services;
    }
}
