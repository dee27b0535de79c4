namespace ToxicFunctions.Pipeline;

/// <summary>An object of an <see cref="IArtifactStore"/> as its listing gives it.</summary>
/// <param name="Key">The key within the bucket or container.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="LastModified">When it was last written (the store's clock, UTC).</param>
public sealed record StoredObject(string Key, long Size, DateTimeOffset LastModified);
