using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;

namespace ToxicFunctions.Storage;

/// <summary>The client of the blob account of artifacts, snapshots and reports (<c>Storage:Provider</c> Blob).</summary>
public static class ArtifactBlobConnection
{
    /// <summary>The identity-based form's property: the account's blob endpoint, as the Functions host's connections name it.</summary>
    public const string BlobServiceUriProperty = "blobServiceUri";

    /// <summary>
    /// In order: connection string <c>ArtifactStorage</c>; <c>ArtifactStorage__blobServiceUri</c> with
    /// <see cref="DefaultAzureCredential"/> (the app's managed identity in Azure); the connection string
    /// <c>RawStorage</c> (one account is enough for most deployments). Null when none is set.
    /// </summary>
    /// <exception cref="FormatException">The connection string or the endpoint is malformed.</exception>
    public static BlobServiceClient? Create(IConfiguration configuration)
    {
        var own = configuration[StorageOptions.ConnectionSetting];
        if (!string.IsNullOrWhiteSpace(own))
        {
            return new BlobServiceClient(own);
        }

        var endpoint = configuration[$"{StorageOptions.ConnectionSetting}:{BlobServiceUriProperty}"];
        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            return Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
                ? new BlobServiceClient(uri, new DefaultAzureCredential())
                : throw new FormatException($"{StorageOptions.ConnectionSetting}__{BlobServiceUriProperty} '{endpoint}' is not an http(s) URL.");
        }

        var raw = configuration[ToxicServiceCollectionExtensions.RawStorageSetting];
        return string.IsNullOrWhiteSpace(raw) ? null : new BlobServiceClient(raw);
    }
}
