using Amazon.S3;
using Amazon.S3.Model;
using ToxicFunctions.Storage;

namespace ToxicFunctions.Pipeline;

/// <summary><see cref="IArtifactStore"/> on S3 (radosgw, MinIO, AWS), one bucket; addresses <c>s3://bucket/key</c>.</summary>
public sealed class S3ArtifactStore(IAmazonS3 s3, string bucket) : IArtifactStore
{
    private string Bucket => bucket;

    /// <inheritdoc />
    public string Uri(string key) => $"s3://{Bucket}/{key}";

    /// <inheritdoc />
    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await s3.GetObjectMetadataAsync(Bucket, key, cancellationToken);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public Task PutFileAsync(string key, string path, string contentType, CancellationToken cancellationToken) =>
        s3.PutObjectCreatingBucketAsync(
            () => new PutObjectRequest { BucketName = Bucket, Key = key, FilePath = path, ContentType = contentType }, cancellationToken);

    /// <inheritdoc />
    public Task PutTextAsync(string key, string content, string contentType, CancellationToken cancellationToken) =>
        s3.PutObjectCreatingBucketAsync(
            () => new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = content, ContentType = contentType }, cancellationToken);

    /// <inheritdoc />
    public async Task<bool> TryCreateTextAsync(string key, string content, string contentType, CancellationToken cancellationToken)
    {
        try
        {
            await s3.PutObjectCreatingBucketAsync(
                () => new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = content, ContentType = contentType, IfNoneMatch = "*" },
                cancellationToken);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode is System.Net.HttpStatusCode.PreconditionFailed or System.Net.HttpStatusCode.Conflict)
        {
            // 412: the key exists. 409 ConditionalRequestConflict (AWS): a racing conditional write; either way not ours.
            return false;
        }
    }

    /// <inheritdoc />
    public async Task<string> GetTextAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await s3.GetObjectAsync(Bucket, key, cancellationToken);
            using var reader = new StreamReader(response.ResponseStream, System.Text.Encoding.UTF8);
            return await reader.ReadToEndAsync(cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "NoSuchKey" or "NoSuchBucket")
        {
            throw new FileNotFoundException($"{Uri(key)} does not exist.", key, e);
        }
    }

    /// <inheritdoc />
    public async Task GetFileAsync(string key, string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await s3.GetObjectAsync(Bucket, key, cancellationToken);
            await using var file = File.Create(path);
            await response.ResponseStream.CopyToAsync(file, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "NoSuchKey" or "NoSuchBucket")
        {
            throw new FileNotFoundException($"{Uri(key)} does not exist.", key, e);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken) =>
        [.. (await ListObjectsAsync(prefix, cancellationToken)).Select(o => o.Key)];

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredObject>> ListObjectsAsync(string prefix, CancellationToken cancellationToken)
    {
        var objects = new List<StoredObject>();
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix };
        try
        {
            ListObjectsV2Response response;
            do
            {
                response = await s3.ListObjectsV2Async(request, cancellationToken);
                objects.AddRange((response.S3Objects ?? []).Select(o => new StoredObject(
                    o.Key, o.Size ?? 0, o.LastModified is { } modified ? new DateTimeOffset(modified.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.MinValue)));
                request.ContinuationToken = response.NextContinuationToken;
            }
            while (response.IsTruncated == true);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket")
        {
            return [];
        }

        return objects;
    }

    /// <inheritdoc />
    /// <remarks>S3 answers a delete of a missing key with success already; a missing bucket is its one error to swallow.</remarks>
    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = key }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "NoSuchKey" or "NoSuchBucket")
        {
        }
    }
}
