using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using ToxicFunctions.Functions.Ingestion;
using ToxicFunctions.Functions.Pipelines;
using ToxicFunctions.Functions.Quality;
using ToxicFunctions.Functions.Scoring;
using ToxicFunctions.Functions.Streaming;

namespace ToxicFunctions.LocalHost;

/// <summary>
/// Wires the Function App's classes to local triggers: each HTTP function at its route under /api, the blob trigger,
/// the Kafka trigger, the CDC relay that feeds it, and the timer that encodes staged comments (in an encoder worker process of its own).
/// </summary>
internal static class LocalFunctionTriggers
{
    public static IServiceCollection AddLocalFunctionTriggers(this IServiceCollection services)
    {
        // IActionResult results of the functions are executed by MVC's result executors, as in the Functions host.
        services.AddControllers();
        services.AddTransient<S3Events>();
        services.AddTransient<ListLoads>();
        services.AddTransient<IngestRawBlob>();
        services.AddTransient<StartValidation>();
        services.AddTransient<GetValidation>();
        services.AddTransient<ScoreComments>();
        services.AddOptions<BlobTriggerOptions>().BindConfiguration(BlobTriggerOptions.Section);
        services.AddHostedService<BlobTriggerPoller>();
        services.AddTransient<StreamCommentChanges>();
        services.AddOptions<KafkaTriggerOptions>().BindConfiguration(KafkaTriggerOptions.Section);
        services.AddHostedService<KafkaTriggerListener>();
        services.AddOptions<CdcRelayServiceOptions>().BindConfiguration(CdcRelayServiceOptions.Section);
        services.AddHostedService<CdcRelayService>();
        services.AddTransient<EncodeStagedComments>();
        services.AddOptions<EncodingTimerOptions>().BindConfiguration(EncodingTimerOptions.Section);
        services.AddHostedService<EncodingTimerService>();
        services.AddHostedService<EncoderWorkerProcess>();
        return services;
    }

    public static void MapLocalFunctionRoutes(this WebApplication app)
    {
        app.MapPost("/api/s3/events", (HttpContext context, S3Events function) =>
            ExecuteAsync(context, function.RunAsync(context.Request, context.RequestAborted)));
        app.MapGet("/api/loads", (HttpContext context, ListLoads function) =>
            ExecuteAsync(context, function.RunAsync(context.Request, context.RequestAborted)));
        app.MapPost("/api/validations", (HttpContext context, StartValidation function) =>
            ExecuteAsync(context, function.RunAsync(context.Request, context.RequestAborted)));
        app.MapGet("/api/validations/{runId}", (HttpContext context, string runId, GetValidation function) =>
            ExecuteAsync(context, function.RunAsync(context.Request, runId, context.RequestAborted)));
        app.MapPost("/api/score", (HttpContext context, ScoreComments function) =>
            ExecuteAsync(context, function.RunAsync(context.Request, context.RequestAborted)));
        app.MapLocalPipelineRoutes(ExecuteAsync);
        app.MapGet("/", () => Results.Text("ToxicFunctions local host\n"));
    }

    private static async Task ExecuteAsync(HttpContext context, Task<IActionResult> invocation)
    {
        var result = await invocation;
        await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
    }
}
