using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using ToxicFunctions.Ingestion;
using ToxicFunctions.Storage;

namespace ToxicFunctions.Functions.Ingestion;

/// <summary>
/// Blob trigger: a CSV file lands in the raw container of Azure Blob Storage and is loaded into staging. The host learns
/// of it by scanning the container or from Event Grid, as <see cref="RawBlobTrigger"/> was built.
/// </summary>
public sealed class IngestRawBlob(BatchIngestService ingest)
{
    /// <summary>Loads the blob; a redelivered blob version adds nothing.</summary>
    [Function(nameof(IngestRawBlob))]
    public async Task<IngestResult> RunAsync(
        [BlobTrigger(RawBlobTrigger.Path, Connection = ToxicServiceCollectionExtensions.RawStorageSetting, Source = RawBlobTrigger.Source)]
        BlobClient blob,
        CancellationToken cancellationToken)
    {
        await using var obj = await BlobRawObjects.OpenAsync(blob, cancellationToken);
        return await ingest.IngestAsync(obj, cancellationToken);
    }
}
