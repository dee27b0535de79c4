using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using ToxicFunctions.Functions.Ingestion;

namespace ToxicFunctions.LocalHost;

/// <summary>
/// The blob trigger of the local host: lists the raw container and invokes <see cref="IngestRawBlob"/> once for each
/// new blob version (name + ETag), as the Functions host's polling blob trigger does with its receipts. Receipts are
/// kept in memory; after a restart every blob is offered again and ingestion recognises the versions it has taken. A
/// blob whose ingestion throws is offered again on the next polls, at most five times, and never holds back the others.
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

        var container = blobs.GetBlobContainerClient(configuration[ToxicServiceCollectionExtensions.RawBlobContainerSetting] ?? "raw");
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

                        // As the Functions host does after maxDequeueCount attempts: give the version up, loudly.
                        logger.LogError(e, "IngestRawBlob({Blob}) failed {Max} times; this version is not offered again", item.Name, MaxDequeueCount);
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

    private async Task InvokeAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var function = scope.ServiceProvider.GetRequiredService<IngestRawBlob>();
        var result = await function.RunAsync(blob, cancellationToken);
        logger.LogInformation(
            "IngestRawBlob({Blob}): {Outcome}, {Rows} rows, {Rejected} rejected", blob.Name, result.Outcome, result.RowsLoaded, result.RowsRejected);
    }
}
