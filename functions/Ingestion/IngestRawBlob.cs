using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using ToxicFunctions.Ingestion;
using ToxicFunctions.Storage;

namespace ToxicFunctions.Functions.Ingestion;

/// <summary>Blob trigger: a CSV file lands in the raw container of Azure Blob Storage and is loaded into staging.</summary>
public sealed class IngestRawBlob(BatchIngestService ingest)
{
    /// <summary>Loads the blob; a redelivered blob version adds nothing.</summary>
    [Function(nameof(IngestRawBlob))]
    public async Task<IngestResult> RunAsync(
        [BlobTrigger("%" + ToxicServiceCollectionExtensions.RawBlobContainerSetting + "%/{name}", Connection = ToxicServiceCollectionExtensions.RawStorageSetting)]
        BlobClient blob,
        CancellationToken cancellationToken)
    {
        await using var obj = await BlobRawObjects.OpenAsync(blob, cancellationToken);
        return await ingest.IngestAsync(obj, cancellationToken);
    }
}
