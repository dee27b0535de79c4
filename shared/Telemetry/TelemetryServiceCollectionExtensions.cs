using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace ToxicFunctions.Telemetry;

/// <summary>Registers <see cref="ToxicMetrics"/> and how a host exports it.</summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>Adds <see cref="ToxicMetrics"/> once, whichever of the product's registrations asks first, with the meter factory it needs.</summary>
    public static IServiceCollection AddToxicMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<ToxicMetrics>();
        return services;
    }

    /// <summary>
    /// Exports <see cref="ToxicMetrics"/> through OpenTelemetry as <paramref name="serviceName"/>, for a Prometheus
    /// server to scrape at the endpoint the host maps with <c>MapPrometheusScrapingEndpoint()</c> (<c>GET /metrics</c>).
    /// Every scrape is computed afresh (the exporter would otherwise answer from a copy up to 300 ms old).
    /// </summary>
    public static IServiceCollection AddToxicTelemetryExport(this IServiceCollection services, string serviceName)
    {
        services.AddToxicMetrics();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics
                .AddMeter(ToxicMetrics.MeterName)
                .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }

    /// <summary>
    /// Samples the consumer lag and the encoder backlog into <see cref="ToxicMetrics"/> (<see cref="BacklogSampler"/>),
    /// for a host that runs the stream function; settings of section <c>Telemetry</c>, validated at start.
    /// </summary>
    public static IServiceCollection AddToxicBacklogSampling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<BacklogSampler>();
        return services;
    }
}
