using System.Text;
using System.Text.RegularExpressions;
using ToxicFunctions.Storage;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Ingestion;

/// <summary>A 1 GiB object from S3 ingested by the real <c>toxic</c> process: it streams, so its memory stays flat.</summary>
public sealed partial class LargeObjectTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const long OneGiB = 1L << 30;
    private const long MemoryLimitMegabytes = 500;

    [Fact]
    public async Task A_1_GiB_object_loads_completely_with_the_process_under_500_MB()
    {
        var file = Path.Combine(Path.GetTempPath(), $"toxic-large-{Guid.NewGuid():N}.csv");
        var bucket = $"large-{Guid.NewGuid():N}"[..20];
        var objects = database.Get<S3RawObjects>();
        try
        {
            var rows = WriteCsv(file, OneGiB);
            await objects.EnsureBucketAsync(bucket, default);
            await using (var content = File.OpenRead(file))
            {
                await objects.UploadAsync(bucket, "large.csv", content, default);
            }

            File.Delete(file);
            var output = await RunToxicAsync("ingest", $"s3://{bucket}/large.csv");

            Assert.Contains($"Loaded load_id=", output, StringComparison.Ordinal);
            Assert.Contains($" rows={rows} rejected=0 ", output, StringComparison.Ordinal);
            var peak = long.Parse(PeakRss().Match(output).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(peak < MemoryLimitMegabytes, $"toxic ingest peaked at {peak} MB resident for a 1 GiB object");
            Assert.Equal(rows, await database.ScalarAsync<long>("SELECT count(*) FROM staging.comments"));
        }
        finally
        {
            File.Delete(file);
            await objects.DeleteAsync(bucket, "large.csv", default);
        }
    }

    /// <summary>The sample data's records (<see cref="SampleData.File"/>) repeated until the file holds <paramref name="bytes"/>.</summary>
    private static long WriteCsv(string path, long bytes)
    {
        var sample = SampleData.File;
        var text = File.ReadAllText(sample.Path, Encoding.UTF8);
        var body = text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..].TrimEnd('\n') + "\n";
        long rowsPerCopy = sample.Rows;

        var chunk = Encoding.UTF8.GetBytes(body);
        using var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        output.Write("comment_text,labels\n"u8);
        long rows = 0;
        while (output.Length < bytes)
        {
            output.Write(chunk);
            rows += rowsPerCopy;
        }

        return rows;
    }

    private async Task<string> RunToxicAsync(params string[] args)
    {
        var (exitCode, output, errors) = await ToxicCli.RunAsync(
            args, environment: new Dictionary<string, string> { ["Postgres__ConnectionString"] = database.ConnectionString });
        Assert.True(exitCode == 0, $"toxic {string.Join(' ', args)} exited {exitCode}: {errors}");
        return output;
    }

    [GeneratedRegex(@"peak_rss_mb=(\d+)")]
    private static partial Regex PeakRss();
}
