using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ToxicFunctions.Pipeline;
using ToxicFunctions.Storage;

namespace ToxicFunctions.Tests.Pipeline;

/// <summary><c>Storage:Provider</c> and the blob account of artifacts: which account is used, and what is refused at start.</summary>
public sealed class StorageOptionsTests
{
    private const string Azurite =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1";

    [Fact]
    public void S3_is_the_default_and_needs_no_blob_account()
    {
        using var services = Services([]);
        Assert.Equal(StorageProvider.S3, services.GetRequiredService<IOptions<StorageOptions>>().Value.Provider);
        Assert.IsType<S3ArtifactStore>(services.GetRequiredService<IArtifactStore>());
    }

    [Fact]
    public void Blob_without_any_account_is_refused_naming_the_settings()
    {
        using var services = Services(new() { ["Storage:Provider"] = "Blob" });
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StorageOptions>>().Value);
        Assert.Contains("ArtifactStorage, ArtifactStorage__blobServiceUri and RawStorage", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ArtifactStorage", "not a connection string")]
    [InlineData("ArtifactStorage:blobServiceUri", "acct.blob.core.windows.net")]
    public void Blob_with_a_malformed_account_is_refused(string key, string value)
    {
        using var services = Services(new() { ["Storage:Provider"] = "Blob", [key] = value });
        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StorageOptions>>().Value);
    }

    [Theory]
    [InlineData("ArtifactStorage", Azurite, "http://127.0.0.1:10000/devstoreaccount1")]
    [InlineData("ArtifactStorage:blobServiceUri", "https://acct.blob.core.windows.net", "https://acct.blob.core.windows.net/")]
    [InlineData("RawStorage", Azurite, "http://127.0.0.1:10000/devstoreaccount1")]
    public void The_artifact_account_is_its_own_else_its_identity_endpoint_else_raw_storages(string key, string value, string endpoint)
    {
        using var services = Services(new() { ["Storage:Provider"] = "Blob", ["Pipeline:ArtifactsBucket"] = "toxic-ml", [key] = value });
        Assert.Equal(StorageProvider.Blob, services.GetRequiredService<IOptions<StorageOptions>>().Value.Provider);
        var store = Assert.IsType<BlobArtifactStore>(services.GetRequiredService<IArtifactStore>());
        Assert.Equal($"{endpoint.TrimEnd('/')}/toxic-ml/models/a", store.Uri("models/a"));
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        settings.TryAdd("Postgres:ConnectionString", "Host=127.0.0.1");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddToxicFunctions(configuration).BuildServiceProvider();
    }
}
