using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ToxicFunctions.Telemetry;

/// <summary>Registers <see cref="ToxicMetrics"/>, the product's traces, and how a host exports them.</summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>The setting of the OTLP collector's endpoint (OpenTelemetry's standard variable); set, traces, metrics and logs go there.</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The setting of the Application Insights connection string (Azure's standard variable); set, traces, metrics and logs go there.</summary>
    public const string AzureMonitorSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>Adds <see cref="ToxicMetrics"/> once, whichever of the product's registrations asks first, with the meter factory it needs.</summary>
    public static IServiceCollection AddToxicMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<ToxicMetrics>();
        return services;
    }

    /// <summary>
    /// Exports the product's telemetry through OpenTelemetry as <paramref name="serviceName"/>:
    /// <list type="bullet">
    /// <item>metrics (<see cref="ToxicMetrics"/>) always, for a Prometheus server to scrape at the endpoint the host maps
    /// with <c>MapPrometheusScrapingEndpoint()</c> (<c>GET /metrics</c>), every scrape computed afresh (the exporter would
    /// otherwise answer from a copy up to 300 ms old);</item>
    /// <item>traces (<see cref="ToxicTracing"/>, Durable Task's, incoming and outgoing HTTP) and logs (with their trace
    /// and span ids) when <see cref="OtlpEndpointSetting"/> or <see cref="AzureMonitorSetting"/> is set, or
    /// <c>Telemetry:Tracing</c> (<see cref="TelemetryOptions.Tracing"/>): spans are not even created otherwise.</item>
    /// </list>
    /// Every exporter named by a setting also receives the metrics.
    /// </summary>
    public static IServiceCollection AddToxicTelemetryExport(
        this IServiceCollection services, string serviceName, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddToxicMetrics();
        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting]);
        var azureMonitor = !string.IsNullOrWhiteSpace(configuration[AzureMonitorSetting]);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics
                .AddMeter(ToxicMetrics.MeterName)
                .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        if (otlp || azureMonitor || configuration.GetValue<bool>($"{TelemetryOptions.Section}:{nameof(TelemetryOptions.Tracing)}"))
        {
            telemetry
                .WithTracing(tracing => tracing
                    .AddSource(ToxicTracing.SourceName, ToxicTracing.DurableTaskSourceName)
                    .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => context.Request.Path != "/metrics")
                    .AddHttpClientInstrumentation())
                .WithLogging();
        }

        if (otlp)
        {
            telemetry.UseOtlpExporter(); // reads OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL and _HEADERS itself
        }

        if (azureMonitor)
        {
            telemetry.UseAzureMonitorExporter(options => options.ConnectionString = configuration[AzureMonitorSetting]);
        }

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
