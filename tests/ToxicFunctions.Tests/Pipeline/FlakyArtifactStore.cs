using ToxicFunctions.Pipeline;

namespace ToxicFunctions.Tests.Pipeline;

/// <summary>
/// The real store, except that the first <c>failures</c> writes fail as a dropped connection would, and so does every
/// file written to a key that <c>refuses</c> matches.
/// </summary>
internal sealed class FlakyArtifactStore(IArtifactStore inner, int failures, Func<string, bool>? refuses = null) : IArtifactStore
{
    private int _writes;

    public int FailedWrites => Math.Min(Volatile.Read(ref _writes), failures);

    public string Uri(string key) => inner.Uri(key);

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken) => inner.ExistsAsync(key, cancellationToken);

    public Task PutFileAsync(string key, string path, string contentType, CancellationToken cancellationToken) =>
        refuses?.Invoke(key) == true || Interlocked.Increment(ref _writes) <= failures
            ? throw new IOException($"Injected transient failure writing {key}.")
            : inner.PutFileAsync(key, path, contentType, cancellationToken);

    public Task PutTextAsync(string key, string content, string contentType, CancellationToken cancellationToken) =>
        Interlocked.Increment(ref _writes) <= failures
            ? throw new IOException($"Injected transient failure writing {key}.")
            : inner.PutTextAsync(key, content, contentType, cancellationToken);

    public Task<bool> TryCreateTextAsync(string key, string content, string contentType, CancellationToken cancellationToken) =>
        inner.TryCreateTextAsync(key, content, contentType, cancellationToken);

    public Task<string> GetTextAsync(string key, CancellationToken cancellationToken) => inner.GetTextAsync(key, cancellationToken);

    public Task GetFileAsync(string key, string path, CancellationToken cancellationToken) => inner.GetFileAsync(key, path, cancellationToken);

    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken) => inner.ListAsync(prefix, cancellationToken);

    public Task<IReadOnlyList<StoredObject>> ListObjectsAsync(string prefix, CancellationToken cancellationToken) => inner.ListObjectsAsync(prefix, cancellationToken);

    public Task DeleteAsync(string key, CancellationToken cancellationToken) => inner.DeleteAsync(key, cancellationToken);
}
