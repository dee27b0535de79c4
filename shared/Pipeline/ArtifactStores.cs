using Amazon.S3;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ToxicFunctions.Storage;

namespace ToxicFunctions.Pipeline;

/// <summary>The <see cref="IArtifactStore"/> of a bucket on the store <c>Storage:Provider</c> names.</summary>
/// <remarks>The clients are resolved on first use, so a host on S3 never needs a blob connection string and the reverse.</remarks>
public sealed class ArtifactStores(IServiceProvider services, IOptions<StorageOptions> options)
{
    /// <summary>The key of the <see cref="BlobServiceClient"/> of the artifact account (<c>ArtifactStorage</c>, else <c>RawStorage</c>).</summary>
    public const string BlobClientKey = "artifacts";

    /// <summary>The store of bucket (or container) <paramref name="bucket"/>.</summary>
    public IArtifactStore For(string bucket) => options.Value.Provider switch
    {
        StorageProvider.Blob => new BlobArtifactStore(services.GetRequiredKeyedService<BlobServiceClient>(BlobClientKey), bucket),
        _ => new S3ArtifactStore(services.GetRequiredService<IAmazonS3>(), bucket),
    };
}
