using System.Net;

namespace ToxicFunctions.Storage;

/// <summary>
/// How a store writes the object key into its event notifications. AWS S3 and MinIO form-encode it (a space becomes
/// <c>+</c>, a <c>+</c> becomes <c>%2B</c>; MinIO also encodes <c>/</c>); Ceph radosgw writes the key as stored.
/// </summary>
public enum S3KeyEncoding
{
    /// <summary>The sender is not known: the form-decoded key is tried first, then the key as sent.</summary>
    Unknown,

    /// <summary>Form (query-string) encoding: AWS S3 (<c>eventSource</c> <c>aws:s3</c>) and MinIO (<c>minio:s3</c>).</summary>
    FormEncoded,

    /// <summary>The key as stored: Ceph radosgw (<c>eventSource</c> <c>ceph:s3</c>).</summary>
    AsStored,
}

/// <summary>The key rule of each store that sends S3 event notifications.</summary>
public static class S3KeyEncodings
{
    /// <summary>The rule of the store named by a record's <c>eventSource</c> (<c>aws:s3</c>, <c>minio:s3</c>, <c>ceph:s3</c>).</summary>
    public static S3KeyEncoding ForEventSource(string? eventSource) => eventSource?.ToLowerInvariant() switch
    {
        "aws:s3" or "minio:s3" => S3KeyEncoding.FormEncoded,
        "ceph:s3" => S3KeyEncoding.AsStored,
        _ => S3KeyEncoding.Unknown,
    };

    /// <summary>
    /// The keys the object may be stored under, in the order to try them: one for a known sender; for an unknown one
    /// the form-decoded key and then, when it differs, the key as sent.
    /// </summary>
    public static IReadOnlyList<string> CandidateKeys(string keyAsSent, S3KeyEncoding encoding)
    {
        switch (encoding)
        {
            case S3KeyEncoding.AsStored:
                return [keyAsSent];
            case S3KeyEncoding.FormEncoded:
                return [WebUtility.UrlDecode(keyAsSent)];
            default:
                var decoded = WebUtility.UrlDecode(keyAsSent);
                return decoded == keyAsSent ? [keyAsSent] : [decoded, keyAsSent];
        }
    }
}
