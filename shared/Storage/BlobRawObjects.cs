using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace ToxicFunctions.Storage;

/// <summary>Raw CSV blobs in Azure Blob Storage: opening a version for streaming.</summary>
public static class BlobRawObjects
{
    private const int ReadBufferBytes = 4 << 20;

    /// <summary>
    /// Opens the blob's current version for streaming. The read is pinned to the ETag seen first, so a blob
    /// overwritten mid-read fails instead of mixing two versions.
    /// </summary>
    public static async Task<RawObject> OpenAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        BlobProperties properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
        var version = properties.VersionId ?? properties.ETag.ToString().Trim('"');
        var stream = await blob.OpenReadAsync(
            new BlobOpenReadOptions(allowModifications: false) { BufferSize = ReadBufferBytes, Conditions = new() { IfMatch = properties.ETag } },
            cancellationToken);
        // Azure Blob names cannot end in '/': a directory of a hierarchical namespace shows as a zero-byte blob with this metadata.
        var isDirectory = properties.Metadata.TryGetValue("hdi_isfolder", out var folder) && string.Equals(folder, "true", StringComparison.OrdinalIgnoreCase);
        return new RawObject(new ObjectRef("blob", blob.BlobContainerName, blob.Name, version, properties.ContentLength), stream, isDirectory);
    }
}
