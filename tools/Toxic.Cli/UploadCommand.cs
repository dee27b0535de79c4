using System.CommandLine;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ToxicFunctions.Storage;

namespace ToxicFunctions.Cli;

/// <summary><c>toxic upload FILE</c>: puts a CSV file into the raw bucket (or, with --blob, the raw blob container).</summary>
internal static class UploadCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The CSV file (comment_text,labels)." };
        var key = new Option<string?>("--key") { Description = "The object key; default: the file name." };
        var bucket = new Option<string?>("--bucket") { Description = "The bucket; default: setting S3:RawBucket." };
        var blob = new Option<bool>("--blob") { Description = "Upload to Azure Blob Storage (setting RawStorage, container RawBlobContainer) instead of S3." };
        var noProgress = ProgressOption.Create();
        var command = new Command("upload", "Put a CSV file into the raw bucket, where its arrival triggers ingestion.") { file, key, bucket, blob, noProgress };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                await Console.Error.WriteLineAsync($"toxic upload: {path.FullName} does not exist");
                return 2;
            }

            var services = CliServices.Build();
            var objectKey = parse.GetValue(key) ?? path.Name;
            await using var content = path.OpenRead();
            var progress = ProgressLine.ForStandardError("upload", ProgressUnit.Bytes, path.Length, parse.GetValue(noProgress));
            if (parse.GetValue(blob))
            {
                var configuration = services.GetRequiredService<IConfiguration>();
                var container = services.GetRequiredService<BlobServiceClient>()
                    .GetBlobContainerClient(configuration[ToxicServiceCollectionExtensions.RawBlobContainerSetting] ?? "raw");
                await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                // Options without conditions overwrite, as overwrite: true does.
                var info = await container.GetBlobClient(objectKey).UploadAsync(content, new BlobUploadOptions { ProgressHandler = progress }, cancellationToken);
                progress?.Complete();
                Console.WriteLine($"uploaded {path.Name} ({path.Length} bytes) to blob {container.Name}/{objectKey} etag={info.Value.ETag}");
                return 0;
            }

            var objects = services.GetRequiredService<S3RawObjects>();
            var bucketName = parse.GetValue(bucket) ?? objects.RawBucket;
            await objects.EnsureBucketAsync(bucketName, cancellationToken);
            await objects.UploadAsync(bucketName, objectKey, content, progress, cancellationToken);
            progress?.Complete();
            Console.WriteLine($"uploaded {path.Name} ({path.Length} bytes) to s3://{bucketName}/{objectKey}");
            return 0;
        });
        return command;
    }
}
