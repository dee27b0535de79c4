namespace ToxicFunctions.Pipeline;

/// <summary>
/// An object store bucket (S3) or container (Azure Blob) of the pipeline's files: snapshots, manifests, model
/// directories and validation reports. <see cref="ArtifactStores"/> gives the one of the configured provider.
/// </summary>
public interface IArtifactStore
{
    /// <summary>
    /// The object's address, such as <c>s3://ml/snapshots/...</c> or <c>https://account.blob.core.windows.net/ml/snapshots/...</c>;
    /// <see cref="Storage.ArtifactAddress.Parse"/> reads it back.
    /// </summary>
    string Uri(string key);

    /// <summary>Whether the object exists.</summary>
    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken);

    /// <summary>Writes a local file as the object, replacing it (the bucket is created when missing).</summary>
    Task PutFileAsync(string key, string path, string contentType, CancellationToken cancellationToken);

    /// <summary>Writes text as the object in UTF-8, replacing it (the bucket is created when missing).</summary>
    Task PutTextAsync(string key, string content, string contentType, CancellationToken cancellationToken);

    /// <summary>
    /// Writes text as the object in UTF-8 only if no object has the key (an atomic put-if-absent: S3's
    /// <c>If-None-Match: *</c>, Blob's <c>If-None-Match: *</c>), creating the bucket when missing. Of writers racing for
    /// one key exactly one succeeds, which is what a Delta commit needs (<see cref="Lake.DeltaTable"/>).
    /// </summary>
    /// <returns>False when the object already exists (S3 412 PreconditionFailed, Blob 409 BlobAlreadyExists or 412).</returns>
    Task<bool> TryCreateTextAsync(string key, string content, string contentType, CancellationToken cancellationToken);

    /// <summary>Downloads the object into a local file.</summary>
    /// <exception cref="FileNotFoundException">There is no such object (or no bucket).</exception>
    Task GetFileAsync(string key, string path, CancellationToken cancellationToken);

    /// <summary>The object's content as UTF-8 text.</summary>
    /// <exception cref="FileNotFoundException">There is no such object (or no bucket).</exception>
    Task<string> GetTextAsync(string key, CancellationToken cancellationToken);

    /// <summary>The keys under <paramref name="prefix"/> (none when the bucket does not exist).</summary>
    Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>The objects under <paramref name="prefix"/> with their sizes and modification times (none when the bucket does not exist).</summary>
    Task<IReadOnlyList<StoredObject>> ListObjectsAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the object. Deleting one that does not exist (or whose bucket does not exist) is not an error: the object
    /// is gone either way.
    /// </summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);
}
