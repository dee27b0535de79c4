namespace ToxicFunctions.Lake;

/// <summary>The raw zone's Delta table (section <c>Lake</c>).</summary>
public sealed class LakeOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Lake";

    /// <summary>The default table location.</summary>
    public const string DefaultTableUri = "s3://lake/raw_comments";

    /// <summary>
    /// Where the table lives: <c>s3://bucket/path</c> on the S3 store (section S3), or a blob URL
    /// <c>https://account.blob.core.windows.net/container/path</c> on the blob account of <c>ArtifactStorage</c>; the
    /// scheme picks the store, whatever Storage:Provider says. Empty: ingestion appends to no table.
    /// </summary>
    public string TableUri { get; set; } = DefaultTableUri;
}
