using ToxicFunctions.Telemetry;

namespace ToxicFunctions.LocalHost;

/// <summary>
/// Serves the Function App's own function classes through their real triggers where Azure Functions Core Tools
/// (<c>func start</c>) is not available: HTTP routes on http://127.0.0.1:7071/api/..., and the raw blob container
/// polled like the Functions host's blob trigger. No pipeline logic lives here.
/// </summary>
public static class LocalFunctionHost
{
    /// <summary>The address <c>func start</c> listens on, and so this host by default.</summary>
    public const string DefaultUrls = "http://127.0.0.1:7071";

    /// <summary>Builds the host; <paramref name="configure"/> may adjust settings and services (tests do).</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddLocalDevelopmentDefaults();
        builder.WebHost.UseUrls(builder.Configuration["LocalHost:Urls"] ?? DefaultUrls);
        builder.Services.AddSingleton(new LocalHostArguments(args));
        configure?.Invoke(builder);
        builder.Services.AddToxicFunctions(builder.Configuration);
        builder.Services.AddLocalFunctionTriggers();
        builder.Services.AddLocalPipelines(builder.Configuration);

        // An error status without a body (405 for a method a route does not take, 404 ...) is answered with problem+json.
        builder.Services.AddProblemDetails();

        // The product's metrics (ToxicMetrics) for a Prometheus server to scrape at GET /metrics.
        builder.Services.AddToxicTelemetryExport("toxic-localhost", builder.Configuration);
        builder.Services.AddToxicBacklogSampling(builder.Configuration);

        var app = builder.Build();
        app.UseStatusCodePages();
        app.MapLocalFunctionRoutes();
        app.MapPrometheusScrapingEndpoint();
        return app;
    }
}
