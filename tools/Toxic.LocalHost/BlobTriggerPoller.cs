using System.Collections.Concurrent;
using System.Reflection;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ToxicFunctions.Ingestion;
using ToxicFunctions.Storage;

using ToxicFunctions.Telemetry;

namespace ToxicFunctions.LocalHost;

/// <summary>
/// The blob trigger of the local host for one blob-triggered function (<see cref="BlobFunction"/>): lists the container
/// of its <c>[BlobTrigger]</c> path in the storage account of its connection setting and invokes it once for each new
/// blob version (name + ETag), as the Functions host's polling blob trigger does with its receipts. Receipts are
/// kept in memory; after a restart every blob is offered again and ingestion recognises the versions it has taken. A
/// blob whose ingestion throws is offered again on the next polls, at most five times, and never holds back the others;
/// a version given up is recorded as a failed load (<c>staging.loads</c>). It polls whatever source the trigger was built
/// with: an app built with the Event Grid source runs here too, where no Event Grid delivers.
/// </summary>
internal sealed class BlobTriggerPoller(
    BlobFunction function,
    IConfiguration configuration,
    IServiceScopeFactory scopes,
    IOptions<BlobTriggerOptions> options,
    ILogger<BlobTriggerPoller> logger) : BackgroundService
{
    // The Functions host's default attempts per blob version before it goes to the poison queue.
    private const int MaxDequeueCount = 5;

    private readonly ConcurrentDictionary<string, ETag> _receipts = new();
    private readonly ConcurrentDictionary<string, (ETag ETag, int Count)> _failures = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled || FunctionSwitches.IsDisabled(configuration, function.Name))
        {
            return;
        }

        var container = function.ServiceClient(configuration).GetBlobContainerClient(function.ContainerName(configuration));
        logger.LogInformation("Blob trigger {Function} polls container {Container} every {Interval}", function.Name, container.Name, options.Value.PollInterval);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await container.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
                await foreach (var item in container.GetBlobsAsync(cancellationToken: stoppingToken))
                {
                    if (item.Properties.ETag is not { } etag || (_receipts.TryGetValue(item.Name, out var seen) && seen == etag))
                    {
                        continue;
                    }

                    // One blob failing must not hold back the blobs listed after it.
                    try
                    {
                        await InvokeAsync(container.GetBlobClient(item.Name), stoppingToken);
                        _receipts[item.Name] = etag;
                        _failures.TryRemove(item.Name, out _);
                    }
                    catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                    {
                        var failures = _failures.AddOrUpdate(item.Name, _ => (etag, 1), (_, f) => f.ETag == etag ? (etag, f.Count + 1) : (etag, 1)).Count;
                        if (failures < MaxDequeueCount)
                        {
                            logger.LogWarning(e, "{Function}({Blob}) failed (attempt {Attempt} of {Max}); retried on the next poll", function.Name, item.Name, failures, MaxDequeueCount);
                            continue;
                        }

                        // As the Functions host does after maxDequeueCount attempts (it moves the blob to its poison queue): give the
                        // version up, and record it as a failed load where operators look, not only in the log.
                        logger.LogError(e, "{Function}({Blob}) failed {Max} times; this version is not offered again", function.Name, item.Name, MaxDequeueCount);
                        await RecordGivenUpAsync(container.Name, item, e, stoppingToken);
                        _receipts[item.Name] = etag;
                        _failures.TryRemove(item.Name, out _);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Polling blob container {Container} failed; retrying", container.Name);
            }

            await Task.Delay(options.Value.PollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task RecordGivenUpAsync(string container, BlobItem item, Exception error, CancellationToken cancellationToken)
    {
        try
        {
            using var scope = scopes.CreateScope();
            var version = item.VersionId ?? item.Properties.ETag?.ToString().Trim('"') ?? "unknown";
            await scope.ServiceProvider.GetRequiredService<BatchIngestService>().RecordUnloadedAsync(
                new ObjectRef("blob", container, item.Name, version, item.Properties.ContentLength),
                IngestOutcome.Failed,
                $"the blob trigger gave this version up after {MaxDequeueCount} failed attempts: {error.Message}",
                cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError(e, "Recording the given-up blob {Blob} as a failed load failed", item.Name);
        }
    }

    private async Task InvokeAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        using var activity = InvocationActivity.Start(function.Name, "datasource");
        activity?.SetTag("toxic.blob.name", blob.Name);
        await using var scope = scopes.CreateAsyncScope();
        var method = function.Method;
        var instance = method.IsStatic ? null : ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, method.DeclaringType!);
        var arguments = method.GetParameters().Select(p => p.ParameterType == typeof(CancellationToken) ? (object)cancellationToken : blob).ToArray();
        object? result;
        try
        {
            var task = (Task)method.Invoke(instance, arguments)!;
            await task;
            result = method.ReturnType.IsGenericType ? method.ReturnType.GetProperty(nameof(Task<object>.Result))!.GetValue(task) : null;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null && !ToxicTracing.Fail(activity, e.InnerException))
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }

        logger.LogInformation("{Function}({Blob}): {Result}", function.Name, blob.Name, result);
    }

    /// <summary>Checks that this host can bind every parameter of <paramref name="function"/>.</summary>
    /// <exception cref="InvalidOperationException">A parameter other than the trigger's <see cref="BlobClient"/> and a <see cref="CancellationToken"/>, or a method that returns no Task.</exception>
    public static void EnsureBindable(BlobFunction function)
    {
        if (!function.Method.ReturnType.IsAssignableTo(typeof(Task)))
        {
            throw new InvalidOperationException($"The local host cannot serve blob function {function.Name}: it returns {function.Method.ReturnType.Name}; this host runs Task methods.");
        }

        foreach (var parameter in function.Method.GetParameters())
        {
            var bound = parameter.ParameterType == typeof(CancellationToken)
                || (parameter.GetCustomAttribute<BlobTriggerAttribute>() is not null && parameter.ParameterType == typeof(BlobClient));
            if (!bound)
            {
                throw new InvalidOperationException(
                    $"The local host cannot serve blob function {function.Name}: parameter '{parameter.Name}' ({parameter.ParameterType.Name}) has no binding this host knows (it binds the trigger as BlobClient).");
            }
        }
    }
}
