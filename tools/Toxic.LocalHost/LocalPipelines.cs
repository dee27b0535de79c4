using System.Net;
using System.Net.Sockets;
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
        return services;
    }

    /// <summary>
    /// Handlers for functions whose bindings only the Functions host gives (<c>HttpRequestData</c>), by function name;
    /// they are served at the route of their attribute.
    /// </summary>
    public static IReadOnlyDictionary<string, Delegate> Handlers { get; } = new Dictionary<string, Delegate>
    {
        [nameof(StartTrainingPipeline)] = StartAsync,
    };

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
