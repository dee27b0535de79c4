using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ToxicFunctions.Ingestion;
using ToxicFunctions.Storage;

namespace ToxicFunctions.Functions.Ingestion;

/// <summary>
/// HTTP trigger for S3 event notifications (AWS S3, MinIO, Ceph radosgw push the standard event JSON here): each
/// ObjectCreated event loads its object into staging.
/// </summary>
public sealed class S3Events(S3NotificationIngest ingest)
{
    /// <summary>Answers 200 with what became of each event, or 400 (problem+json) for a body that is not an S3 notification.</summary>
    [Function(nameof(S3Events))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "s3/events")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(cancellationToken);
        S3EventNotification notification;
        try
        {
            notification = S3EventNotification.Parse(body);
        }
        catch (JsonException e)
        {
            return Problems.BadRequest("Not an S3 event notification", e.Message);
        }

        var results = await ingest.IngestAsync(notification, cancellationToken);
        return new OkObjectResult(new { records = results });
    }
}
