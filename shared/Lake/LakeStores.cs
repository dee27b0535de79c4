using Amazon.S3;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ToxicFunctions.Pipeline;
using ToxicFunctions.Storage;

namespace ToxicFunctions.Lake;

/// <summary>
/// Opens Delta tables by address: <c>s3://bucket/path</c> on the S3 store (section S3), or a blob URL
/// <c>https://account.blob.core.windows.net/container/path</c> on the artifact blob account (<c>ArtifactStorage</c>),
/// whatever Storage:Provider says.
/// </summary>
public sealed class LakeStores(IServiceProvider services)
{
    private const string S3Scheme = "s3://";

    /// <summary>The table at <paramref name="uri"/>.</summary>
    /// <exception cref="FormatException">Neither an s3:// address nor a blob URL with a container and a path.</exception>
    public DeltaTable Open(string uri)
    {
        var (bucket, root) = ArtifactAddress.Parse(uri.EndsWith('/') ? uri : uri + "/");
        IArtifactStore store = IsS3(uri)
            ? new S3ArtifactStore(services.GetRequiredService<IAmazonS3>(), bucket)
            : new BlobArtifactStore(services.GetRequiredKeyedService<BlobServiceClient>(ArtifactStores.BlobClientKey), bucket);
        return new DeltaTable(store, root, services.GetService<ILogger<DeltaTable>>());
    }

    /// <summary>The store kind of <see cref="ObjectRef.Store"/> for objects at <paramref name="uri"/>: <c>s3</c> or <c>blob</c>.</summary>
    public static string StoreKind(string uri) => IsS3(uri) ? "s3" : "blob";

    private static bool IsS3(string uri) => uri.StartsWith(S3Scheme, StringComparison.Ordinal);
}
