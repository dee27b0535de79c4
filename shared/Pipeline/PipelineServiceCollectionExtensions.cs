using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ToxicFunctions.Pipeline;

/// <summary>Registers the training pipeline's services (issue 5): snapshots, tracking, registry, training and evaluation.</summary>
public static class PipelineServiceCollectionExtensions
{
    /// <summary>Adds the pipeline's services; they need the database, the object store clients, tokenizer and training service registered beside them.</summary>
    public static IServiceCollection AddToxicPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PipelineOptions>().Bind(configuration.GetSection(PipelineOptions.Section)).ValidateDataAnnotations();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ArtifactStores>();
        services.TryAddSingleton(sp => sp.GetRequiredService<ArtifactStores>().For(sp.GetRequiredService<IOptions<PipelineOptions>>().Value.ArtifactsBucket));
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
