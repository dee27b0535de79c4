using Amazon.S3;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ToxicFunctions.Pipeline;
using ToxicFunctions.Storage;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Pipeline;

/// <summary>
/// What every <see cref="IArtifactStore"/> promises, against the real stores: radosgw for S3, Azurite for Blob, each
/// chosen the way the hosts choose it (<c>Storage:Provider</c> through <see cref="ArtifactStores"/>).
/// </summary>
public sealed class ArtifactStoreContractTests
{
    [Theory]
    [InlineData(StorageProvider.S3)]
    [InlineData(StorageProvider.Blob)]
    public async Task Objects_are_written_read_listed_deleted_and_missing_ones_are_not_found(StorageProvider provider)
    {
        var bucket = $"test-store-{Guid.NewGuid():N}"[..24];
        using var services = Services(provider);
        var store = services.GetRequiredService<ArtifactStores>().For(bucket);
        Assert.IsType(provider == StorageProvider.Blob ? typeof(BlobArtifactStore) : typeof(S3ArtifactStore), store);

        // Before the first write the bucket does not exist: nothing listed, nothing found, nothing to delete.
        Assert.Empty(await store.ListAsync("", CancellationToken.None));
        Assert.False(await store.ExistsAsync("dir/a.bin", CancellationToken.None));
        await Assert.ThrowsAsync<FileNotFoundException>(() => store.GetTextAsync("dir/a.bin", CancellationToken.None));
        await store.DeleteAsync("dir/a.bin", CancellationToken.None);

        var bytes = new byte[70_000];
        new Random(15).NextBytes(bytes);
        var source = Path.GetTempFileName();
        var copy = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(source, bytes);
            await store.PutFileAsync("dir/a.bin", source, "application/octet-stream", CancellationToken.None);
            await store.PutTextAsync("dir/sub/b c%#.json", """{"é":1}""", "application/json", CancellationToken.None);
            await store.PutTextAsync("other/c.txt", "first", "text/plain", CancellationToken.None);
            await store.PutTextAsync("other/c.txt", "second", "text/plain", CancellationToken.None);

            Assert.True(await store.ExistsAsync("dir/a.bin", CancellationToken.None));
            await store.GetFileAsync("dir/a.bin", copy, CancellationToken.None);
            Assert.Equal(bytes, await File.ReadAllBytesAsync(copy));
            Assert.Equal("""{"é":1}""", await store.GetTextAsync("dir/sub/b c%#.json", CancellationToken.None));
            Assert.Equal("second", await store.GetTextAsync("other/c.txt", CancellationToken.None));
            Assert.Equal("application/json", await ContentTypeAsync(services, provider, bucket, "dir/sub/b c%#.json"));
            Assert.Equal("text/plain", await ContentTypeAsync(services, provider, bucket, "other/c.txt"));

            Assert.Equal(["dir/a.bin", "dir/sub/b c%#.json"], (await store.ListAsync("dir/", CancellationToken.None)).Order(StringComparer.Ordinal));
            Assert.Equal(3, (await store.ListAsync("", CancellationToken.None)).Count);

            Assert.False(await store.ExistsAsync("dir/missing", CancellationToken.None));
            var missing = await Assert.ThrowsAsync<FileNotFoundException>(() => store.GetFileAsync("dir/missing", copy, CancellationToken.None));
            Assert.Equal("dir/missing", missing.FileName);
            await Assert.ThrowsAsync<FileNotFoundException>(() => store.GetTextAsync("dir/missing", CancellationToken.None));

            // A deleted object is gone, its neighbours stay; deleting it again, or a key never written, is not an error.
            await store.DeleteAsync("dir/sub/b c%#.json", CancellationToken.None);
            Assert.False(await store.ExistsAsync("dir/sub/b c%#.json", CancellationToken.None));
            await Assert.ThrowsAsync<FileNotFoundException>(() => store.GetTextAsync("dir/sub/b c%#.json", CancellationToken.None));
            Assert.Equal(["dir/a.bin"], await store.ListAsync("dir/", CancellationToken.None));
            await store.DeleteAsync("dir/sub/b c%#.json", CancellationToken.None);
            await store.DeleteAsync("dir/missing", CancellationToken.None);
            Assert.Equal(2, (await store.ListAsync("", CancellationToken.None)).Count);

            // The address reads back to the bucket and the key as written, escaping and all.
            Assert.Equal((bucket, "dir/sub/b c%#.json"), ArtifactAddress.Parse(store.Uri("dir/sub/b c%#.json")));
            Assert.Equal((bucket, "models/m/runs/1/"), ArtifactAddress.Parse(store.Uri("models/m/runs/1/")));
        }
        finally
        {
            File.Delete(source);
            File.Delete(copy);
        }
    }

    /// <summary>The object's media type, as its store's own client reads it: a report or a curve opened straight from the store (a portal, a presigned link) is shown by it.</summary>
    private static async Task<string> ContentTypeAsync(ServiceProvider services, StorageProvider provider, string bucket, string key) =>
        provider == StorageProvider.Blob
            ? (await services.GetRequiredKeyedService<BlobServiceClient>(ArtifactStores.BlobClientKey)
                .GetBlobContainerClient(bucket).GetBlobClient(key).GetPropertiesAsync()).Value.ContentType
            : (await services.GetRequiredService<IAmazonS3>().GetObjectMetadataAsync(bucket, key)).Headers.ContentType;

    private static ServiceProvider Services(StorageProvider provider)
    {
        var configuration = new ConfigurationBuilder()
            .AddConfiguration(TestSettings.Configuration)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Provider"] = provider.ToString() })
            .Build();
        return new ServiceCollection().AddToxicFunctions(configuration).BuildServiceProvider();
    }
}
