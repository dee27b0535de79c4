using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ToxicFunctions.Telemetry;

namespace ToxicFunctions.Scoring;

/// <summary>Registers scoring over HTTP: <see cref="ScoringOptions"/> (validated at start) and the <see cref="ScoringBatcher"/>.</summary>
public static class ScoringServiceCollectionExtensions
{
    /// <summary>Adds the batcher; a <see cref="ModelSource"/> must be registered beside it (the champion, or a directory).</summary>
    public static IServiceCollection AddToxicScoring(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ScoringOptions>().Bind(configuration.GetSection(ScoringOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddToxicMetrics();
        services.AddSingleton<ScoringBatcher>();
        return services;
    }
}
