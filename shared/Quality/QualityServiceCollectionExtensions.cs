using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ToxicFunctions.Storage;
using ToxicFunctions.Transform;

namespace ToxicFunctions.Quality;

/// <summary>Registers the production transform and the data-quality services (issue 4).</summary>
public static class QualityServiceCollectionExtensions
{
    /// <summary>Adds <see cref="TransformService"/>, <see cref="ValidationService"/> and their stores; reports go to setting <c>S3:ReportsBucket</c>.</summary>
    public static IServiceCollection AddTransformAndQuality(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<QualityReportOptions>().Bind(configuration.GetSection(S3Options.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TransformService>();
        services.AddSingleton<ValidationResultStore>();
        services.AddSingleton<ValidationReportStore>();
        services.AddSingleton<ValidationService>();
        return services;
    }
}
