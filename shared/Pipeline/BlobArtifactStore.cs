using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace ToxicFunctions.Pipeline;

/// <summary>
/// <see cref="IArtifactStore"/> on Azure Blob Storage (or Azurite): the bucket is a container, created on first write.
/// Addresses are the blob's URL, <c>https://account.blob.core.windows.net/container/key</c>: the form azcopy, the
/// Azure CLI, the portal and the SDK itself use, and it needs no hierarchical namespace (<c>abfss://</c> is the ADLS
/// Gen2 endpoint's, <c>az://</c> only fsspec's).
/// </summary>
public sealed class BlobArtifactStore(BlobServiceClient service, string container) : IArtifactStore
{
    private readonly BlobContainerClient _container = service.GetBlobContainerClient(container);

    /// <inheritdoc />
    /// <remarks>
    /// Built here, each segment escaped, rather than taken from <c>BlobClient.Uri</c>, which drops a trailing '/': a model
    /// directory's address (<c>models/NAME/runs/RUN/</c>) must read back as the prefix it names.
    /// </remarks>
    public string Uri(string key) =>
        $"{_container.Uri.AbsoluteUri.TrimEnd('/')}/{string.Join('/', key.Split('/').Select(System.Uri.EscapeDataString))}";

    /// <inheritdoc />
    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken) =>
        (await _container.GetBlobClient(key).ExistsAsync(cancellationToken)).Value;

    /// <inheritdoc />
    public Task PutFileAsync(string key, string path, string contentType, CancellationToken cancellationToken) =>
        PutCreatingContainerAsync(key, () => File.OpenRead(path), contentType, cancellationToken);

    /// <inheritdoc />
    public Task PutTextAsync(string key, string content, string contentType, CancellationToken cancellationToken) =>
        PutCreatingContainerAsync(key, () => new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)), contentType, cancellationToken);

    /// <inheritdoc />
    public async Task<bool> TryCreateTextAsync(string key, string content, string contentType, CancellationToken cancellationToken)
    {
        try
        {
            await PutCreatingContainerAsync(
                key, () => new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)), contentType, cancellationToken,
                new BlobRequestConditions { IfNoneMatch = ETag.All });
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Put Blob with If-None-Match: * on an existing blob: 409 BlobAlreadyExists (Azure, Azurite) or 412.
            return false;
        }
    }

    /// <inheritdoc />
    public async Task GetFileAsync(string key, string path, CancellationToken cancellationToken)
    {
        await using var content = await OpenReadAsync(key, cancellationToken);
        await using var file = File.Create(path);
        await content.CopyToAsync(file, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<string> GetTextAsync(string key, CancellationToken cancellationToken)
    {
        await using var content = await OpenReadAsync(key, cancellationToken);
        using var reader = new StreamReader(content, System.Text.Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken) =>
        [.. (await ListObjectsAsync(prefix, cancellationToken)).Select(o => o.Key)];

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredObject>> ListObjectsAsync(string prefix, CancellationToken cancellationToken)
    {
        var objects = new List<StoredObject>();
        try
        {
            await foreach (var blob in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken))
            {
                objects.Add(new StoredObject(
                    blob.Name, blob.Properties.ContentLength ?? 0, blob.Properties.LastModified ?? blob.Properties.CreatedOn ?? DateTimeOffset.MinValue));
            }
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            return [];
        }

        return objects;
    }

    /// <inheritdoc />
    /// <remarks>With the blob's snapshots, if any (a blob that has snapshots cannot be deleted alone).</remarks>
    public Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        _container.GetBlobClient(key).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);

    private async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _container.GetBlobClient(key).DownloadStreamingAsync(cancellationToken: cancellationToken);
            return response.Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new FileNotFoundException($"{Uri(key)} does not exist.", key, e);
        }
    }

    // A fresh stream per attempt: the first is used up when the container turns out to be missing.
    private async Task PutCreatingContainerAsync(
        string key, Func<Stream> open, string contentType, CancellationToken cancellationToken, BlobRequestConditions? conditions = null)
    {
        var options = new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType }, Conditions = conditions };
        try
        {
            await using var first = open();
            await _container.GetBlobClient(key).UploadAsync(first, options, cancellationToken);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await using var second = open();
            await _container.GetBlobClient(key).UploadAsync(second, options, cancellationToken);
        }
    }
}
