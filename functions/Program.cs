using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using ToxicFunctions;
using ToxicFunctions.Functions.Streaming;
using ToxicFunctions.Streaming;
using ToxicFunctions.Telemetry;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddToxicFunctions(builder.Configuration);
builder.Services.AddSingleton<IValidateOptions<KafkaOptions>, KafkaTriggerSecurityValidator>();

// Traces, metrics and logs through OpenTelemetry: OTLP and/or Azure Monitor as their settings say, the worker's
// invocation spans and resource attributes (UseFunctionsWorkerDefaults), the sampled backlog gauges, and in a container
// a Prometheus scrape endpoint of its own (the Functions host forwards only function routes to the worker).
builder.Services.AddToxicTelemetryExport("toxic-functions", builder.Configuration);
builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
builder.Services.AddToxicBacklogSampling(builder.Configuration);
if (builder.Configuration.GetValue<int>($"{TelemetryOptions.Section}:{nameof(TelemetryOptions.PrometheusPort)}") is > 0 and var port)
{
    builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddPrometheusHttpListener(listener =>
    {
        listener.Host = "+"; // every interface: Prometheus scrapes the pod's address
        listener.Port = port;
    }));
}

builder.Build().Run();
