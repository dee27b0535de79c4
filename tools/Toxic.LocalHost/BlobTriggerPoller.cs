using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using ToxicFunctions.Functions.Ingestion;

namespace ToxicFunctions.LocalHost;

/// <summary>
/// The blob trigger of the local host: lists the raw container and invokes <see cref="IngestRawBlob"/> once for each
/// new blob version (name + ETag), as the Functions host's polling blob trigger does with its receipts. Receipts are
/// kept in memory; after a restart every blob is offered again and ingestion recognises the versions it has taken.
/// </summary>
internal sealed class BlobTriggerPoller(
    BlobServiceClient blobs,
    IConfiguration configuration,
    IServiceScopeFactory scopes,
    IOptions<BlobTriggerOptions> options,
    ILogger<BlobTriggerPoller> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, ETag> _receipts = new();

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

                    await InvokeAsync(container.GetBlobClient(item.Name), stoppingToken);
                    _receipts[item.Name] = etag;
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
