namespace ToxicFunctions.Storage;

/// <summary>Which object store holds the pipeline's files (section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Storage";

    /// <summary>
    /// The setting holding the Azure Storage connection string of the artifact containers when <see cref="Provider"/> is
    /// <see cref="StorageProvider.Blob"/>, or its identity-based form <c>ArtifactStorage__blobServiceUri</c>; when neither
    /// is set, the account of the connection string <c>RawStorage</c> is used.
    /// </summary>
    public const string ConnectionSetting = "ArtifactStorage";

    /// <summary>The store of artifacts, snapshots and reports (default <see cref="StorageProvider.S3"/>).</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.S3;
}
