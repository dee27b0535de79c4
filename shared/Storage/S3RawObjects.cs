using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;
using Microsoft.Extensions.Options;

namespace ToxicFunctions.Storage;

/// <summary>Raw CSV objects in S3: opening a version for streaming, and uploading.</summary>
public sealed class S3RawObjects(IAmazonS3 s3, IOptions<S3Options> options)
{
    /// <summary>The bucket raw files land in.</summary>
    public string RawBucket => options.Value.RawBucket;

    /// <summary>Opens an object for streaming; <paramref name="versionId"/> selects a version when the bucket keeps them.</summary>
    public async Task<RawObject> OpenAsync(string bucket, string key, string? versionId, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = bucket, Key = key };
        if (!string.IsNullOrEmpty(versionId) && versionId != "null")
        {
            request.VersionId = versionId;
        }

        var response = await s3.GetObjectAsync(request, cancellationToken);
        var version = string.IsNullOrEmpty(response.VersionId) || response.VersionId == "null"
            ? response.ETag.Trim('"')
            : response.VersionId;
        return new RawObject(new ObjectRef("s3", bucket, key, version, response.ContentLength), response.ResponseStream);
    }

    /// <summary>Creates the bucket unless it exists.</summary>
    public Task EnsureBucketAsync(string bucket, CancellationToken cancellationToken) => s3.EnsureBucketAsync(bucket, cancellationToken);

    /// <summary>Uploads <paramref name="content"/> as <paramref name="key"/> (multipart for large content).</summary>
    public Task UploadAsync(string bucket, string key, Stream content, CancellationToken cancellationToken) =>
        UploadAsync(bucket, key, content, null, cancellationToken);

    /// <summary>Uploads <paramref name="content"/> as <paramref name="key"/>, telling <paramref name="bytesSent"/> the bytes transferred so far.</summary>
    public async Task UploadAsync(string bucket, string key, Stream content, IProgress<long>? bytesSent, CancellationToken cancellationToken)
    {
        using var transfer = new TransferUtility(s3);
        var request = new TransferUtilityUploadRequest { BucketName = bucket, Key = key, InputStream = content, ContentType = "text/csv", AutoCloseStream = false };
        if (bytesSent is not null)
        {
            request.UploadProgressEvent += (_, e) => bytesSent.Report(e.TransferredBytes);
        }

        await transfer.UploadAsync(request, cancellationToken);
    }

    /// <summary>Deletes an object.</summary>
    public Task DeleteAsync(string bucket, string key, CancellationToken cancellationToken) =>
        s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key }, cancellationToken);
}
