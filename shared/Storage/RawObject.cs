namespace ToxicFunctions.Storage;

/// <summary>An opened object version: what it is and a stream over its content.</summary>
public sealed class RawObject(ObjectRef reference, Stream content) : IAsyncDisposable
{
    /// <summary>The object version being read.</summary>
    public ObjectRef Reference { get; } = reference;

    /// <summary>The content, read once from start to end.</summary>
    public Stream Content { get; } = content;

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
