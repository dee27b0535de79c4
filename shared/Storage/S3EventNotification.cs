using System.Text.Json;
using System.Text.Json.Serialization;

namespace ToxicFunctions.Storage;

/// <summary>
/// The standard S3 event notification body (<c>{"Records":[{"eventName":..., "s3":{"bucket":{"name"}, "object":{"key"}}}]}</c>)
/// as AWS S3, MinIO and Ceph radosgw send it.
/// </summary>
public sealed class S3EventNotification
{
    private static readonly JsonSerializerOptions s_json = new() { PropertyNameCaseInsensitive = true };

    /// <summary>The records of the notification.</summary>
    [JsonPropertyName("Records")]
    public List<S3EventRecord> Records { get; set; } = [];

    /// <summary>Parses a notification body.</summary>
    /// <exception cref="JsonException">The body is not an S3 event notification.</exception>
    public static S3EventNotification Parse(string json)
    {
        var notification = JsonSerializer.Deserialize<S3EventNotification>(json, s_json)
            ?? throw new JsonException("The body is empty or null.");
        if (notification.Records is null)
        {
            throw new JsonException("Records is null; expected an array of event records.");
        }

        foreach (var record in notification.Records)
        {
            if (record is null)
            {
                throw new JsonException("An event record is null.");
            }

            if (string.IsNullOrEmpty(record.S3?.Bucket?.Name) || string.IsNullOrEmpty(record.S3.Object?.Key))
            {
                throw new JsonException("An event record lacks s3.bucket.name or s3.object.key.");
            }
        }

        return notification;
    }
}

/// <summary>One event of an S3 notification.</summary>
public sealed class S3EventRecord
{
    /// <summary>The sending store: <c>aws:s3</c>, <c>minio:s3</c>, <c>ceph:s3</c>; it decides how the key is encoded.</summary>
    public string? EventSource { get; set; }

    /// <summary>For example <c>ObjectCreated:Put</c> (AWS, radosgw) or <c>s3:ObjectCreated:Put</c> (MinIO).</summary>
    public string? EventName { get; set; }

    /// <summary>What the event is about.</summary>
    public S3EventEntity? S3 { get; set; }

    /// <summary>Whether the event announces a new object (or a new version of one).</summary>
    public bool IsObjectCreated => EventName?.Contains("ObjectCreated", StringComparison.Ordinal) == true;

    /// <summary>How the sender encoded <see cref="S3EventObject.Key"/>.</summary>
    public S3KeyEncoding KeyEncoding => S3KeyEncodings.ForEventSource(EventSource);

    /// <summary>The keys the announced object may be stored under, in the order to try them (see <see cref="S3KeyEncodings.CandidateKeys"/>).</summary>
    public IReadOnlyList<string> CandidateKeys => S3KeyEncodings.CandidateKeys(S3!.Object!.Key!, KeyEncoding);

    /// <summary>
    /// Whether the event announces a folder marker: a zero-byte object whose key ends in <c>/</c>, which S3 consoles
    /// create for "folders". It holds no data.
    /// </summary>
    public bool IsFolderMarker => CandidateKeys[0].EndsWith('/') && (S3!.Object!.Size ?? 0) == 0;

    /// <summary>
    /// The version the event announces, as <see cref="ObjectRef.Version"/> names versions: the version id when the bucket
    /// keeps versions, otherwise the ETag, otherwise the event's sequencer (events without an ETag, such as removals).
    /// </summary>
    public string AnnouncedVersion
    {
        get
        {
            var obj = S3!.Object!;
            return !string.IsNullOrEmpty(obj.VersionId) && obj.VersionId != "null" ? obj.VersionId
                : !string.IsNullOrEmpty(obj.ETag) ? obj.ETag.Trim('"')
                : !string.IsNullOrEmpty(obj.Sequencer) ? $"sequencer:{obj.Sequencer}"
                : "unknown";
        }
    }
}

/// <summary>The bucket and object of an event.</summary>
public sealed class S3EventEntity
{
    /// <summary>The bucket.</summary>
    public S3EventBucket? Bucket { get; set; }

    /// <summary>The object.</summary>
    public S3EventObject? Object { get; set; }
}

/// <summary>The bucket of an event.</summary>
public sealed class S3EventBucket
{
    /// <summary>The bucket name.</summary>
    public string? Name { get; set; }
}

/// <summary>The object of an event.</summary>
public sealed class S3EventObject
{
    /// <summary>The key, encoded by the sender's rule (<see cref="S3EventRecord.KeyEncoding"/>).</summary>
    public string? Key { get; set; }

    /// <summary>The size in bytes.</summary>
    public long? Size { get; set; }

    /// <summary>The ETag.</summary>
    public string? ETag { get; set; }

    /// <summary>The version id, empty when the bucket keeps no versions.</summary>
    public string? VersionId { get; set; }

    /// <summary>A hex string that orders the events of one key (AWS, radosgw).</summary>
    public string? Sequencer { get; set; }
}
