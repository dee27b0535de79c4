using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ToxicFunctions.Storage;
using ToxicFunctions.Transform;

namespace ToxicFunctions.Quality;

/// <summary>Registers the production transform and the data-quality services (issue 4).</summary>
public static class QualityServiceCollectionExtensions
{
    /// <summary>Adds <see cref="TransformService"/>, <see cref="ValidationService"/> and their stores; reports go to bucket <c>S3:ReportsBucket</c> of the <c>Storage:Provider</c> store.</summary>
    public static IServiceCollection AddTransformAndQuality(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<QualityReportOptions>().Bind(configuration.GetSection(S3Options.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TransformService>();
        services.AddSingleton<ValidationResultStore>();
        services.TryAddSingleton<Pipeline.ArtifactStores>();
        services.AddSingleton(sp => new ValidationReportStore(
            sp.GetRequiredService<Pipeline.ArtifactStores>(), sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<QualityReportOptions>>()));
        services.AddSingleton<ValidationService>();
        return services;
    }
}
