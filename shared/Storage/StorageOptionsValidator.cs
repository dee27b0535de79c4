using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ToxicFunctions.Storage;

/// <summary>
/// Checks <see cref="StorageOptions"/> when a host starts: a known provider and, for Blob, a blob account the Azure
/// SDK accepts (<see cref="ArtifactBlobConnection"/>), so a wrong setting fails at start and not at the first pipeline run.
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

        try
        {
            return ArtifactBlobConnection.Create(configuration) is null
                ? ValidateOptionsResult.Fail(
                    $"Storage:Provider is Blob but none of {StorageOptions.ConnectionSetting}, {StorageOptions.ConnectionSetting}__{ArtifactBlobConnection.BlobServiceUriProperty} "
                    + $"and {ToxicServiceCollectionExtensions.RawStorageSetting} is set.")
                : ValidateOptionsResult.Success;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            return ValidateOptionsResult.Fail($"The connection string of the artifact blob account is not valid: {e.Message}");
        }
    }
}
