using Microsoft.Extensions.Configuration;

namespace ToxicFunctions.Storage;

/// <summary>The connection string of the blob account of artifacts, snapshots and reports.</summary>
public static class ArtifactBlobConnection
{
    /// <summary>
    /// <c>ArtifactStorage</c>, or when it is empty <c>RawStorage</c> (one account is enough for most deployments), or null.
    /// </summary>
    public static string? Find(IConfiguration configuration)
    {
        var own = configuration[StorageOptions.ConnectionSetting];
        return string.IsNullOrWhiteSpace(own) ? configuration[ToxicServiceCollectionExtensions.RawStorageSetting] : own;
    }
}
