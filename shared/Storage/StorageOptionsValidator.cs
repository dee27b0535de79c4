using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ToxicFunctions.Storage;

/// <summary>
/// Checks <see cref="StorageOptions"/> when a host starts: a known provider and, for Blob, a connection string that the
/// Azure SDK accepts, so a wrong setting fails at start and not at the first pipeline run.
/// </summary>
public sealed class StorageOptionsValidator(IConfiguration configuration) : IValidateOptions<StorageOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (!Enum.IsDefined(options.Provider))
        {
            return ValidateOptionsResult.Fail($"Storage:Provider must be S3 or Blob, not '{options.Provider}'.");
        }

        if (options.Provider != StorageProvider.Blob)
        {
            return ValidateOptionsResult.Success;
        }

        var connection = ArtifactBlobConnection.Find(configuration);
        if (string.IsNullOrWhiteSpace(connection))
        {
            return ValidateOptionsResult.Fail(
                $"Storage:Provider is Blob but neither {StorageOptions.ConnectionSetting} nor {ToxicServiceCollectionExtensions.RawStorageSetting} holds a connection string.");
        }

        try
        {
            _ = new Azure.Storage.Blobs.BlobServiceClient(connection);
            return ValidateOptionsResult.Success;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            return ValidateOptionsResult.Fail($"The connection string of the artifact blob account is not valid: {e.Message}");
        }
    }
}
