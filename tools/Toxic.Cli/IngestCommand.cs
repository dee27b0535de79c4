using System.CommandLine;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using ToxicFunctions.Database;
using ToxicFunctions.Ingestion;
using ToxicFunctions.Lake;
using ToxicFunctions.Storage;

namespace ToxicFunctions.Cli;

/// <summary>
/// <c>toxic ingest</c>: loads a CSV or Parquet object into staging directly, from a local file or an S3 object, without a
/// trigger; or every live file of a Delta table (s3:// or a blob URL), as the original project's Spark job read its lake.
/// </summary>
internal static class IngestCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("source")
        {
            Description = "A local CSV or .parquet file, s3://bucket/key, or a Delta table: s3://bucket/path or https://account.blob.core.windows.net/container/path.",
        };
        var noProgress = ProgressOption.Create();
        var command = new Command("ingest", "Load a CSV or Parquet object, or a Delta table's live files, into staging, as the triggers do.") { source, noProgress };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var services = CliServices.Build();
            await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            if (await IsDeltaTableAsync(parse.GetValue(source)!, services, cancellationToken))
            {
                return await IngestTableAsync(parse.GetValue(source)!, services, cancellationToken);
            }

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

    private static async Task<bool> IsDeltaTableAsync(string source, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (!source.StartsWith("s3://", StringComparison.Ordinal) && !source.StartsWith("https://", StringComparison.Ordinal) && !source.StartsWith("http://", StringComparison.Ordinal))
        {
            return false;
        }

        var table = services.GetRequiredService<LakeStores>().Open(source);
        return (await table.Store.ListAsync(DeltaLog.FolderKey(table.Root), cancellationToken)).Any(k => DeltaLog.CommitVersion(k) is not null);
    }

    private static async Task<int> IngestTableAsync(string source, IServiceProvider services, CancellationToken cancellationToken)
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var results = await services.GetRequiredService<DeltaTableIngest>().IngestAsync(source, cancellationToken);
        foreach (var result in results)
        {
            Console.WriteLine(
                $"{result.Object}: {result.Outcome} load_id={result.LoadId} rows={result.RowsLoaded} rejected={result.RowsRejected}"
                + (result.Reason is null ? "" : $" reason={result.Reason}"));
        }

        Console.WriteLine(
            $"{source}: files={results.Count} rows={results.Sum(r => r.RowsLoaded)} rejected={results.Sum(r => r.RowsRejected)} seconds={stopwatch.Elapsed.TotalSeconds:F1}");
        return results.Any(r => r.Outcome == IngestOutcome.Failed) ? 1 : 0;
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
