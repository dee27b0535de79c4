namespace ToxicFunctions.Pipeline;

/// <summary>The object store of the pipeline's files: snapshots, manifests and model directories.</summary>
public interface IArtifactStore
{
    /// <summary>The object's address, such as <c>s3://ml/snapshots/...</c>.</summary>
    string Uri(string key);

    /// <summary>Whether the object exists.</summary>
    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken);

    /// <summary>Writes a local file as the object (the bucket is created when missing).</summary>
    Task PutFileAsync(string key, string path, string contentType, CancellationToken cancellationToken);

    /// <summary>Downloads the object into a local file.</summary>
    /// <exception cref="FileNotFoundException">There is no such object.</exception>
    Task GetFileAsync(string key, string path, CancellationToken cancellationToken);

    /// <summary>The keys under <paramref name="prefix"/>.</summary>
    Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken);
}
