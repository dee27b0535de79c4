using System.Text.Json;
using Microsoft.DurableTask.Client;

namespace ToxicFunctions.LocalHost;

/// <summary>
/// The Durable Functions extension's instance management API, which the Functions host serves under
/// <c>/runtime/webhooks/durabletask/instances/{instanceId}</c> and whose URLs a check-status response carries: status
/// (GET), purge (DELETE), terminate, suspend, resume (POST <c>.../{operation}?reason=</c>) and raise event (POST
/// <c>.../raiseEvent/{eventName}</c>), with the extension's status codes and payloads, so that a client written against
/// <c>func start</c> works against this host.
/// </summary>
internal static class DurableManagementEndpoints
{
    /// <summary>Where the extension serves an instance.</summary>
    public const string InstancesPath = "/runtime/webhooks/durabletask/instances";

    /// <summary>
    /// The extension's check-status payload for <paramref name="instanceId"/> (its property names and URL templates):
    /// <c>id</c>, <c>purgeHistoryDeleteUri</c>, <c>sendEventPostUri</c>, <c>statusQueryGetUri</c>, <c>terminatePostUri</c>,
    /// <c>suspendPostUri</c>, <c>resumePostUri</c>.
    /// </summary>
    public static object CheckStatusPayload(HttpRequest request, string instanceId)
    {
        var instance = StatusUri(request, instanceId);
        return new
        {
            id = instanceId,
            purgeHistoryDeleteUri = instance,
            sendEventPostUri = $"{instance}/raiseEvent/{{eventName}}",
            statusQueryGetUri = instance,
            terminatePostUri = $"{instance}/terminate?reason={{text}}",
            suspendPostUri = $"{instance}/suspend?reason={{text}}",
            resumePostUri = $"{instance}/resume?reason={{text}}",
        };
    }

    /// <summary>The status URL of <paramref name="instanceId"/> on the host that <paramref name="request"/> reached.</summary>
    public static string StatusUri(HttpRequest request, string instanceId) =>
        $"{request.Scheme}://{request.Host}{InstancesPath}/{Uri.EscapeDataString(instanceId)}";

    public static void MapDurableManagement(this WebApplication app)
    {
        app.MapGet(InstancesPath + "/{instanceId}", GetStatusAsync);
        app.MapDelete(InstancesPath + "/{instanceId}", PurgeAsync);
        app.MapPost(InstancesPath + "/{instanceId}/terminate", (string instanceId, string? reason, DurableTaskClient client, CancellationToken cancellationToken) =>
            ChangeAsync(instanceId, client, c => c.TerminateInstanceAsync(instanceId, reason, cancellationToken), cancellationToken));
        app.MapPost(InstancesPath + "/{instanceId}/suspend", (string instanceId, string? reason, DurableTaskClient client, CancellationToken cancellationToken) =>
            ChangeAsync(instanceId, client, c => c.SuspendInstanceAsync(instanceId, reason, cancellationToken), cancellationToken));
        app.MapPost(InstancesPath + "/{instanceId}/resume", (string instanceId, string? reason, DurableTaskClient client, CancellationToken cancellationToken) =>
            ChangeAsync(instanceId, client, c => c.ResumeInstanceAsync(instanceId, reason, cancellationToken), cancellationToken));
        app.MapPost(InstancesPath + "/{instanceId}/raiseEvent/{eventName}", RaiseEventAsync);
    }

    // 202 with Location and Retry-After while the instance runs (or is suspended); 200 once it ended; 404 for an unknown one.
    private static async Task<IResult> GetStatusAsync(HttpContext context, string instanceId, bool? showInput, DurableTaskClient client)
    {
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, context.RequestAborted);
        if (instance is null)
        {
            return Results.NotFound();
        }

        var payload = new
        {
            name = instance.Name,
            instanceId = instance.InstanceId,
            runtimeStatus = instance.RuntimeStatus.ToString(),
            input = showInput == false ? null : SerializedJson.ParseOrText(instance.SerializedInput),
            customStatus = SerializedJson.ParseOrText(instance.SerializedCustomStatus),
            output = SerializedJson.ParseOrText(instance.SerializedOutput),
            createdTime = instance.CreatedAt.UtcDateTime.ToString("s", System.Globalization.CultureInfo.InvariantCulture) + "Z",
            lastUpdatedTime = instance.LastUpdatedAt.UtcDateTime.ToString("s", System.Globalization.CultureInfo.InvariantCulture) + "Z",
        };
        if (IsEnded(instance.RuntimeStatus))
        {
            return Results.Json(payload);
        }

        context.Response.Headers.Location = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}{context.Request.QueryString}";
        context.Response.Headers.RetryAfter = "5";
        return Results.Json(payload, statusCode: StatusCodes.Status202Accepted);
    }

    // 200 with {"instancesDeleted": n}; 404 when there was nothing to purge.
    private static async Task<IResult> PurgeAsync(string instanceId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var result = await client.PurgeInstanceAsync(instanceId, cancellation: cancellationToken);
        return result.PurgedInstanceCount == 0 ? Results.NotFound() : Results.Json(new { instancesDeleted = result.PurgedInstanceCount });
    }

    // 202 once asked; 404 for an unknown instance; 410 Gone for one that has ended.
    private static async Task<IResult> ChangeAsync(string instanceId, DurableTaskClient client, Func<DurableTaskClient, Task> change, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        if (instance is null)
        {
            return Results.NotFound();
        }

        if (IsEnded(instance.RuntimeStatus))
        {
            return Results.StatusCode(StatusCodes.Status410Gone);
        }

        await change(client);
        return Results.Accepted();
    }

    // The body, if any, is the event's JSON data: 400 when it is not JSON.
    private static async Task<IResult> RaiseEventAsync(HttpContext context, string instanceId, string eventName, DurableTaskClient client)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        JsonElement? data = null;
        if (body.Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                data = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                return Results.BadRequest(new { Message = "Invalid JSON content", ExceptionMessage = e.Message });
            }
        }

        return await ChangeAsync(
            instanceId, client, c => c.RaiseEventAsync(instanceId, eventName, data, context.RequestAborted), context.RequestAborted);
    }

    private static bool IsEnded(OrchestrationRuntimeStatus status) =>
        status is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;
}
