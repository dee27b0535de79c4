using System.Collections.Concurrent;
using System.Reflection;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ToxicFunctions.Functions.Ingestion;
using ToxicFunctions.Ingestion;
using ToxicFunctions.Storage;

namespace ToxicFunctions.LocalHost;

/// <summary>
/// The blob trigger of the local host: lists the raw container and invokes <see cref="IngestRawBlob"/> once for each
/// new blob version (name + ETag), as the Functions host's polling blob trigger does with its receipts. Receipts are
/// kept in memory; after a restart every blob is offered again and ingestion recognises the versions it has taken. A
/// blob whose ingestion throws is offered again on the next polls, at most five times, and never holds back the others;
/// a version given up is recorded as a failed load (<c>staging.loads</c>). The container is the one of the function's
/// <c>[BlobTrigger]</c> path.
/// </summary>
internal sealed class BlobTriggerPoller(
    BlobServiceClient blobs,
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
        if (!options.Value.Enabled)
        {
            return;
        }

        var container = blobs.GetBlobContainerClient(ContainerName(configuration));
        logger.LogInformation("Blob trigger IngestRawBlob polls container {Container} every {Interval}", container.Name, options.Value.PollInterval);
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
                            logger.LogWarning(e, "IngestRawBlob({Blob}) failed (attempt {Attempt} of {Max}); retried on the next poll", item.Name, failures, MaxDequeueCount);
                            continue;
                        }

                        // As the Functions host does after maxDequeueCount attempts (it moves the blob to its poison queue): give the
                        // version up, and record it as a failed load where operators look, not only in the log.
                        logger.LogError(e, "IngestRawBlob({Blob}) failed {Max} times; this version is not offered again", item.Name, MaxDequeueCount);
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

    /// <summary>
    /// The container of <see cref="IngestRawBlob"/>'s <c>[BlobTrigger]</c> path (<c>%RawBlobContainer%/{name}</c>), its
    /// <c>%setting%</c> resolved as the Functions host resolves it.
    /// </summary>
    public static string ContainerName(IConfiguration configuration)
    {
        var trigger = typeof(IngestRawBlob).GetMethod(nameof(IngestRawBlob.RunAsync))!.GetParameters()
            .Select(p => p.GetCustomAttribute<BlobTriggerAttribute>()).Single(a => a is not null)!;
        return BindingExpressions.Resolve(trigger.BlobPath.Split('/')[0], configuration, $"The blob trigger path '{trigger.BlobPath}'");
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
        using var scope = scopes.CreateScope();
        var function = scope.ServiceProvider.GetRequiredService<IngestRawBlob>();
        var result = await function.RunAsync(blob, cancellationToken);
        logger.LogInformation(
            "IngestRawBlob({Blob}): {Outcome}, {Rows} rows, {Rejected} rejected", blob.Name, result.Outcome, result.RowsLoaded, result.RowsRejected);
    }
}
