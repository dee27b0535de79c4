using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using ToxicFunctions.Database;
using ToxicFunctions.Storage;

namespace ToxicFunctions.Bench;

/// <summary>
/// <c>./bench.sh large [GiB]</c>: a 1 GiB CSV object in S3 ingested by the <c>toxic ingest</c> process, with the
/// process's peak resident memory: streaming must keep it far below the object's size.
/// </summary>
internal static class LargeObjectBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var gib = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1.0;
        const string database = "toxic_bench_large";
        await using var services = await BenchServices.CreateAsync(database);
        var objects = services.GetRequiredService<S3RawObjects>();
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();

        var file = Path.Combine(Path.GetTempPath(), "toxic-bench-large.csv");
        var rows = BenchData.WriteRepeatedCsv(file, minRows: 0, minBytes: (long)(gib * (1L << 30)));
        var bytes = new FileInfo(file).Length;
        Console.WriteLine($"input: {rows:N0} rows, {bytes / (double)(1L << 30):F2} GiB");

        const string bucket = "bench";
        var key = $"large-{DateTime.UtcNow:yyyyMMddHHmmss}.csv";
        await objects.EnsureBucketAsync(bucket, default);
        var upload = Stopwatch.StartNew();
        await using (var content = File.OpenRead(file))
        {
            await objects.UploadAsync(bucket, key, content, default);
        }

        Console.WriteLine($"uploaded s3://{bucket}/{key} in {upload.Elapsed.TotalSeconds:F1} s");
        File.Delete(file);

        await using (var truncate = dataSource.CreateCommand("TRUNCATE staging.comments, staging.rejected_records, staging.loads"))
        {
            await truncate.ExecuteNonQueryAsync();
        }

        // The toxic process reports its own peak resident memory (VmHWM) when it ends.
        var toxic = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "tools", "Toxic.Cli", "bin", "Release", "net10.0", "toxic.dll");
        var start = new ProcessStartInfo("dotnet") { ArgumentList = { Path.GetFullPath(toxic), "ingest", $"s3://{bucket}/{key}" }, RedirectStandardOutput = true };
        start.Environment["Postgres__ConnectionString"] = services.GetRequiredService<IOptions<PostgresOptions>>().Value.ConnectionString;
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var seconds = stopwatch.Elapsed.TotalSeconds;
        Console.Write(output);
        var peak = System.Text.RegularExpressions.Regex.Match(output, @"peak_rss_mb=(\d+)");
        if (process.ExitCode != 0 || !output.Contains($"rows={rows} ", StringComparison.Ordinal) || !peak.Success)
        {
            Console.Error.WriteLine($"toxic ingest failed (exit {process.ExitCode}) or did not load {rows} rows");
            return 1;
        }

        await objects.DeleteAsync(bucket, key, default);
        Console.WriteLine(FormattableString.Invariant(
            $"large bytes={bytes} rows={rows} seconds={seconds:F1} mb_per_s={bytes / 1e6 / seconds:F1} peak_rss_mb={peak.Groups[1].Value} object_mb={bytes / 1048576.0:F0}"));
        return 0;
    }
}
