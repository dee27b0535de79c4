namespace ToxicFunctions.Storage;

/// <summary>One version of an object in an object store.</summary>
/// <param name="Store">Which kind of store: <c>s3</c>, <c>blob</c> or <c>file</c>.</param>
/// <param name="Container">The bucket or container.</param>
/// <param name="Key">The object key (blob name).</param>
/// <param name="Version">The version id, or the ETag where the store keeps no versions.</param>
/// <param name="Size">The size in bytes, when known.</param>
public sealed record ObjectRef(string Store, string Container, string Key, string Version, long? Size)
{
    /// <summary>
    /// Whether the object is a folder marker: zero bytes under a key that ends in <c>/</c>, which S3 consoles and
    /// storage explorers create for "folders". It holds no data and is skipped, not loaded.
    /// </summary>
    public bool IsFolderMarker => Key.EndsWith('/') && Size == 0;

    /// <inheritdoc/>
    public override string ToString() => $"{Store}://{Container}/{Key}@{Version}";
}
