namespace ToxicFunctions.Storage;

/// <summary>Settings of the S3-compatible object store (section <c>S3</c>): AWS S3, MinIO or Ceph radosgw.</summary>
public sealed class S3Options
{
    /// <summary>The configuration section.</summary>
    public const string Section = "S3";

    /// <summary>The endpoint, e.g. http://127.0.0.1:7480; empty for AWS S3 itself.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The signing region.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>The access key; empty to use the AWS default credential chain.</summary>
    public string? AccessKey { get; set; }

    /// <summary>The secret key that goes with <see cref="AccessKey"/>.</summary>
    public string? SecretKey { get; set; }

    /// <summary>Path-style addressing (http://host/bucket/key), which MinIO and radosgw need.</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>The bucket where raw CSV files land.</summary>
    public string RawBucket { get; set; } = "raw";
}
