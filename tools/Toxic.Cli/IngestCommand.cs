using System.CommandLine;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using ToxicFunctions.Database;
using ToxicFunctions.Ingestion;
using ToxicFunctions.Storage;

namespace ToxicFunctions.Cli;

/// <summary><c>toxic ingest</c>: loads a CSV into staging directly, from a local file or an S3 object, without a trigger.</summary>
internal static class IngestCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("source") { Description = "A local CSV file, or s3://bucket/key." };
        var noProgress = ProgressOption.Create();
        var command = new Command("ingest", "Load a CSV (local file or s3://bucket/key) into staging, as the triggers do.") { source, noProgress };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var services = CliServices.Build();
            await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            var ingest = services.GetRequiredService<BatchIngestService>();
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            var progress = ProgressLine.ForStandardError("ingest", ProgressUnit.Bytes, null, parse.GetValue(noProgress));
            await using var obj = await OpenAsync(parse.GetValue(source)!, services, progress, cancellationToken);
            var result = await ingest.IngestAsync(obj, cancellationToken);
            progress?.Complete();
            // Peak resident memory of this process (VmHWM on Linux): streaming keeps it flat whatever the object's size.
            var peakMegabytes = System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024);
            Console.WriteLine(
                $"{result.Object}: {result.Outcome} load_id={result.LoadId} rows={result.RowsLoaded} rejected={result.RowsRejected}"
                + $" seconds={stopwatch.Elapsed.TotalSeconds:F1} peak_rss_mb={peakMegabytes}"
                + (result.Reason is null ? "" : $" reason={result.Reason}"));
            return result.Outcome == IngestOutcome.Failed ? 1 : 0;
        });
        return command;
    }

    /// <summary>The object to load; with a progress line, its bytes are counted as the parser reads them (after a local file's hashing, a stage of its own).</summary>
    private static async Task<RawObject> OpenAsync(string source, IServiceProvider services, ProgressLine? progress, CancellationToken cancellationToken)
    {
        var obj = await OpenRawAsync(source, services, progress, cancellationToken);
        if (progress is null)
        {
            return obj;
        }

        progress.Stage("ingest", ProgressUnit.Bytes, obj.Reference.Size);
        return new RawObject(obj.Reference, new ProgressStream(obj.Content, progress));
    }

    private static async Task<RawObject> OpenRawAsync(string source, IServiceProvider services, ProgressLine? progress, CancellationToken cancellationToken)
    {
        if (source.StartsWith("s3://", StringComparison.Ordinal))
        {
            var path = source["s3://".Length..];
            var slash = path.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == path.Length - 1)
            {
                throw new ArgumentException($"Expected s3://bucket/key, got {source}.");
            }

            return await services.GetRequiredService<S3RawObjects>().OpenAsync(path[..slash], path[(slash + 1)..], null, cancellationToken);
        }

        // A local file's version is its content hash: the same bytes are the same version wherever they lie.
        var file = new FileInfo(source);
        string hash;
        progress?.Stage("hash", ProgressUnit.Bytes, file.Length);
        await using (Stream stream = progress is null ? file.OpenRead() : new ProgressStream(file.OpenRead(), progress))
        {
            hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        }

        return new RawObject(
            new ObjectRef("file", file.DirectoryName ?? "", file.Name, hash, file.Length),
            new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true));
    }
}
