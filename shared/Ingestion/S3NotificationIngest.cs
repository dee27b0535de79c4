using Amazon.S3;
using Microsoft.Extensions.Logging;
using ToxicFunctions.Storage;

namespace ToxicFunctions.Ingestion;

/// <summary>
/// Ingests the objects that an S3 event notification announces. The key is decoded by the rule of the store that sent
/// it (<see cref="S3KeyEncodings"/>). Every record leaves a row in <c>staging.loads</c>: loaded, failed, skipped (a
/// folder marker, an event other than ObjectCreated) or not found (the object is gone).
/// </summary>
public sealed class S3NotificationIngest(S3RawObjects objects, BatchIngestService ingest, ILogger<S3NotificationIngest> logger)
{
    /// <summary>Ingests each announced object in turn; nothing about a single object is thrown.</summary>
    /// <returns>One result per record, in the notification's order.</returns>
    public async Task<IReadOnlyList<S3EventResult>> IngestAsync(S3EventNotification notification, CancellationToken cancellationToken)
    {
        var results = new List<S3EventResult>(notification.Records.Count);
        foreach (var record in notification.Records)
        {
            results.Add(await IngestAsync(record, cancellationToken));
        }

        return results;
    }

    private async Task<S3EventResult> IngestAsync(S3EventRecord record, CancellationToken cancellationToken)
    {
        var bucket = record.S3!.Bucket!.Name!;
        var keyAsSent = record.S3.Object!.Key!;
        var candidates = record.CandidateKeys;
        var announced = new ObjectRef("s3", bucket, candidates[0], record.AnnouncedVersion, record.S3.Object.Size);
        if (!record.IsObjectCreated)
        {
            return await SkipAsync(record, keyAsSent, announced, $"event {record.EventName} is not ObjectCreated", cancellationToken);
        }

        if (record.IsFolderMarker)
        {
            return await SkipAsync(record, keyAsSent, announced, BatchIngestService.FolderMarkerReason, cancellationToken);
        }

        var misses = new List<string>();
        foreach (var key in candidates)
        {
            RawObject obj;
            try
            {
                obj = await objects.OpenAsync(bucket, key, record.S3.Object.VersionId, cancellationToken);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                misses.Add($"'{key}' ({e.ErrorCode ?? "NotFound"})");
                continue;
            }

            await using (obj)
            {
                return S3EventResult.From(record.EventName, keyAsSent, await ingest.IngestAsync(obj, cancellationToken));
            }
        }

        var reason = $"announced by {record.EventSource ?? "an unknown store"} ({record.EventName}) as '{keyAsSent}', "
            + $"but no object exists under {string.Join(" or ", misses)}";
        logger.LogWarning("s3://{Bucket}/{Key}: {Reason}", bucket, candidates[0], reason);
        return S3EventResult.From(record.EventName, keyAsSent, await ingest.RecordUnloadedAsync(announced, IngestOutcome.NotFound, reason, cancellationToken));
    }

    private async Task<S3EventResult> SkipAsync(S3EventRecord record, string keyAsSent, ObjectRef announced, string reason, CancellationToken cancellationToken) =>
        S3EventResult.From(record.EventName, keyAsSent, await ingest.RecordUnloadedAsync(announced, IngestOutcome.Skipped, reason, cancellationToken));
}
