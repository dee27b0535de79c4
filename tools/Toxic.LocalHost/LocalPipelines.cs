using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using ToxicFunctions.Functions.Pipelines;
using ToxicFunctions.Orchestrations;

namespace ToxicFunctions.LocalHost;

/// <summary>
/// The training pipeline in the local host: the same orchestrator and activities on the in-process Durable Task
/// backend, and the pipeline and registry routes. The start route is the local host's own, with the shape of the
/// Functions host's check-status response (whose URLs only that host serves); status, terminate and purge are the
/// Function App's own classes.
/// </summary>
internal static class LocalPipelines
{
    public static IServiceCollection AddLocalPipelines(this IServiceCollection services, IConfiguration configuration)
    {
        var port = configuration.GetValue("LocalHost:DurableTask:Port", 0);
        services.AddInMemoryDurableTask(registry => registry.AddTrainingPipeline(), new InMemoryDurableTaskOptions { Port = port > 0 ? port : FreePort() });
        services.AddTransient<GetPipeline>();
        services.AddTransient<TerminatePipeline>();
        services.AddTransient<PurgePipeline>();
        services.AddTransient<ListModels>();
        services.AddTransient<ListRuns>();
        services.AddTransient<PromoteModel>();
        services.AddTransient<RollbackModel>();
        return services;
    }

    public static void MapLocalPipelineRoutes(this WebApplication app, Func<HttpContext, Task<IActionResult>, Task> execute)
    {
        app.MapPost("/api/pipelines/training", StartAsync);
        app.MapGet("/api/pipelines/{instanceId}", (HttpContext context, string instanceId, GetPipeline function, DurableTaskClient client) =>
            execute(context, function.RunAsync(context.Request, instanceId, client, context.RequestAborted)));
        app.MapPost("/api/pipelines/{instanceId}/terminate", (HttpContext context, string instanceId, TerminatePipeline function, DurableTaskClient client) =>
            execute(context, function.RunAsync(context.Request, instanceId, client, context.RequestAborted)));
        app.MapDelete("/api/pipelines/{instanceId}", (HttpContext context, string instanceId, PurgePipeline function, DurableTaskClient client) =>
            execute(context, function.RunAsync(context.Request, instanceId, client, context.RequestAborted)));
        app.MapGet("/api/models", (HttpContext context, ListModels function) =>
            execute(context, function.RunAsync(context.Request, context.RequestAborted)));
        app.MapGet("/api/runs", (HttpContext context, ListRuns function) =>
            execute(context, function.RunAsync(context.Request, context.RequestAborted)));
        app.MapPost("/api/models/{name}/versions/{version}/promote", (HttpContext context, string name, string version, PromoteModel function) =>
            execute(context, function.RunAsync(context.Request, name, version, context.RequestAborted)));
        app.MapPost("/api/models/{name}/rollback", (HttpContext context, string name, RollbackModel function) =>
            execute(context, function.RunAsync(context.Request, name, context.RequestAborted)));
    }

    private static async Task<IResult> StartAsync(HttpContext context, DurableTaskClient client)
    {
        var instanceId = await client.ScheduleNewOrchestrationInstanceAsync(
            nameof(TrainingPipeline), new PipelineRequest(RequestedBy: "http"), context.RequestAborted);
        var status = $"{context.Request.Scheme}://{context.Request.Host}/api/pipelines/{instanceId}";
        return Results.Accepted(status, new
        {
            id = instanceId,
            statusQueryGetUri = status,
            terminatePostUri = $"{status}/terminate",
            purgeHistoryDeleteUri = status,
        });
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
