namespace ToxicFunctions.Storage;

/// <summary>An opened object version: what it is and a stream over its content.</summary>
/// <param name="reference">The object version.</param>
/// <param name="content">Its content.</param>
/// <param name="isDirectory">
/// The store says the object stands for a directory (Azure Data Lake Storage's <c>hdi_isfolder</c> metadata).
/// </param>
public sealed class RawObject(ObjectRef reference, Stream content, bool isDirectory = false) : IAsyncDisposable
{
    /// <summary>The object version being read.</summary>
    public ObjectRef Reference { get; } = reference;

    /// <summary>
    /// Whether the object is a folder marker, which holds no data: a directory placeholder of the store, or zero
    /// bytes under a key ending in <c>/</c> (<see cref="ObjectRef.IsFolderMarker"/>).
    /// </summary>
    public bool IsFolderMarker => (isDirectory && Reference.Size is 0 or null) || Reference.IsFolderMarker;

    /// <summary>The content, read once from start to end.</summary>
    public Stream Content { get; } = content;

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
