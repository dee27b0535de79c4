using Azure.Storage.Blobs;

namespace ToxicFunctions.Storage;

/// <summary>
/// Reads back the addresses that the artifact stores write (<c>IArtifactStore.Uri</c>), whichever store wrote them:
/// <c>s3://bucket/key</c> (the key as written, not URL-escaped) and blob URLs
/// <c>https://account.blob.core.windows.net/container/key</c> (or Azurite's <c>http://127.0.0.1:10000/account/container/key</c>, URL-escaped).
/// Every parser of stored addresses goes through here, so that a run recorded under one provider stays readable.
/// </summary>
public static class ArtifactAddress
{
    private const string S3Scheme = "s3://";

    /// <summary>The bucket (or container) and the key of an address.</summary>
    /// <exception cref="FormatException">Neither form, or no key after the bucket.</exception>
    public static (string Bucket, string Key) Parse(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.StartsWith(S3Scheme, StringComparison.Ordinal))
        {
            var slash = address.IndexOf('/', S3Scheme.Length);
            if (slash > S3Scheme.Length && slash < address.Length - 1)
            {
                return (address[S3Scheme.Length..slash], address[(slash + 1)..]);
            }
        }
        else if (System.Uri.TryCreate(address, UriKind.Absolute, out var uri) && (uri.Scheme == System.Uri.UriSchemeHttps || uri.Scheme == System.Uri.UriSchemeHttp))
        {
            // BlobUriBuilder knows both the account-in-host form and the IP-style form of Azurite and unescapes the name;
            // without an account it is some other URL (custom domains are not supported).
            var blob = new BlobUriBuilder(uri);
            if (!string.IsNullOrEmpty(blob.AccountName) && !string.IsNullOrEmpty(blob.BlobContainerName) && !string.IsNullOrEmpty(blob.BlobName))
            {
                // BlobUriBuilder drops a trailing '/', which a directory's address has (models/NAME/runs/RUN/).
                var trailing = uri.AbsolutePath.EndsWith('/') && !blob.BlobName.EndsWith('/') ? "/" : "";
                return (blob.BlobContainerName, blob.BlobName + trailing);
            }
        }

        throw new FormatException($"'{address}' is neither an s3://bucket/key address nor a blob URL with a container and a name.");
    }
}
