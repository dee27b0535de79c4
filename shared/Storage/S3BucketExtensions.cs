using Amazon.S3;
using Amazon.S3.Model;

namespace ToxicFunctions.Storage;

/// <summary>Buckets created on first use, for the stores that write into buckets of their own.</summary>
public static class S3BucketExtensions
{
    /// <summary>Creates the bucket unless it exists (also when another writer creates it at the same moment).</summary>
    public static async Task EnsureBucketAsync(this IAmazonS3 s3, string bucket, CancellationToken cancellationToken)
    {
        try
        {
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
        }
    }

    /// <summary>
    /// Puts an object; when its bucket does not exist yet, creates it and puts again. <paramref name="request"/> makes a
    /// fresh request per attempt (a request over a file or stream is used up by the first).
    /// </summary>
    public static async Task PutObjectCreatingBucketAsync(this IAmazonS3 s3, Func<PutObjectRequest> request, CancellationToken cancellationToken)
    {
        var first = request();
        try
        {
            await s3.PutObjectAsync(first, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket")
        {
            await s3.EnsureBucketAsync(first.BucketName, cancellationToken);
            await s3.PutObjectAsync(request(), cancellationToken);
        }
    }
}
