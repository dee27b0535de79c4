using System.Net;
using System.Net.Sockets;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using ToxicFunctions.Functions.Pipelines;
using ToxicFunctions.Orchestrations;

namespace ToxicFunctions.LocalHost;

/// <summary>
/// The training pipeline in the local host: the same orchestrator and activities on the in-process Durable Task
/// backend. The start function's route answers as the Durable extension does under the Functions host (202 and the
/// check-status payload, whose URLs <see cref="DurableManagementEndpoints"/> serves); every other pipeline and registry
/// route is the Function App's own function.
/// </summary>
internal static class LocalPipelines
{
    public static IServiceCollection AddLocalPipelines(this IServiceCollection services, IConfiguration configuration)
    {
        var port = configuration.GetValue("LocalHost:DurableTask:Port", 0);
        services.AddInMemoryDurableTask(
            registry =>
            {
                foreach (var assembly in DurableAssemblies)
                {
                    registry.AddDurableFunctions(assembly);
                }
            },
            new InMemoryDurableTaskOptions { Port = port > 0 ? port : FreePort() });
        return services;
    }

    /// <summary>The assemblies of the Function App whose orchestrators and activities this host registers.</summary>
    public static IReadOnlyList<System.Reflection.Assembly> DurableAssemblies { get; } = [typeof(StartTrainingPipeline).Assembly, typeof(TrainingPipeline).Assembly];

    /// <summary>
    /// Handlers for functions whose bindings only the Functions host gives (<c>HttpRequestData</c>), by function name;
    /// they are served at the route of their attribute.
    /// </summary>
    public static IReadOnlyDictionary<string, Delegate> Handlers { get; } = new Dictionary<string, Delegate>
    {
        [nameof(StartTrainingPipeline)] = StartAsync,
    };

    // As the Functions host answers StartTrainingPipeline through the Durable extension: 202, Location, and the
    // extension's check-status payload, whose URLs the management API of this host serves.
    private static async Task<IResult> StartAsync(HttpContext context, DurableTaskClient client)
    {
        var instanceId = await client.ScheduleNewOrchestrationInstanceAsync(
            nameof(TrainingPipeline), new PipelineRequest(RequestedBy: "http"), context.RequestAborted);
        return Results.Accepted(DurableManagementEndpoints.StatusUri(context.Request, instanceId), DurableManagementEndpoints.CheckStatusPayload(context.Request, instanceId));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
