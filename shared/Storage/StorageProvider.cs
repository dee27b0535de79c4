namespace ToxicFunctions.Storage;

/// <summary>The object store of model artifacts, dataset snapshots and validation reports (setting <c>Storage:Provider</c>).</summary>
public enum StorageProvider
{
    /// <summary>An S3-compatible store (radosgw, MinIO, AWS S3) with the <c>S3</c> settings; addresses <c>s3://bucket/key</c>.</summary>
    S3,

    /// <summary>Azure Blob Storage (or Azurite) of connection string <c>ArtifactStorage</c>; addresses are blob URLs.</summary>
    Blob,
}
