using Amazon.S3;
using Microsoft.Extensions.Logging;
using ToxicFunctions.Storage;

namespace ToxicFunctions.Ingestion;

/// <summary>Ingests the objects that an S3 event notification announces (ObjectCreated events; others are skipped).</summary>
public sealed class S3NotificationIngest(S3RawObjects objects, BatchIngestService ingest, ILogger<S3NotificationIngest> logger)
{
    /// <summary>Ingests each created object in turn; an object that no longer exists is reported, not thrown.</summary>
    public async Task<IReadOnlyList<S3EventResult>> IngestAsync(S3EventNotification notification, CancellationToken cancellationToken)
    {
        var results = new List<S3EventResult>();
        foreach (var record in notification.Records)
        {
            var bucket = record.S3!.Bucket!.Name!;
            var key = record.DecodedKey;
            if (!record.IsObjectCreated)
            {
                results.Add(new S3EventResult(bucket, key, "skipped", null, $"event {record.EventName} is not ObjectCreated"));
                continue;
            }

            try
            {
                await using var obj = await objects.OpenAsync(bucket, key, record.S3.Object!.VersionId, cancellationToken);
                var result = await ingest.IngestAsync(obj, cancellationToken);
                results.Add(new S3EventResult(bucket, key, result.Outcome.ToString(), result, result.Error));
            }
            catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                logger.LogWarning("s3://{Bucket}/{Key} announced but not found: {Error}", bucket, key, e.Message);
                results.Add(new S3EventResult(bucket, key, "NotFound", null, e.Message));
            }
        }

        return results;
    }
}
