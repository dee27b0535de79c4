using Amazon.S3;
using ToxicFunctions.Csv;
using ToxicFunctions.Lake;
using ToxicFunctions.Pipeline;
using ToxicFunctions.Storage;
using ToxicFunctions.Tests.Infrastructure;
using ToxicFunctions.Tests.Lake;

namespace ToxicFunctions.Tests.Cli;

/// <summary>
/// <c>toxic lake history|compact|vacuum</c> as a person runs them against a table on radosgw: one line per version,
/// a compaction's commit, what vacuum would delete and then deletes; a location without a table is an error (exit 1)
/// that says so.
/// </summary>
public sealed class LakeCliTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task History_compact_and_vacuum_report_what_they_did()
    {
        var bucket = $"lake-cli-{Guid.NewGuid():N}"[..30];
        var table = new DeltaTable(new S3ArtifactStore(database.Get<IAmazonS3>(), bucket), "raw_comments");
        for (var i = 0; i < 3; i++)
        {
            await using var append = new RawCommentsAppend(table, new ObjectRef("s3", "raw", $"cli-{i}.csv", "v1", 1), TimeProvider.System);
            await append.AddAsync([new CommentRecord(2, $"comment {i}", 0)], CancellationToken.None);
            await append.CommitAsync(CancellationToken.None);
        }

        var uri = $"s3://{bucket}/raw_comments";
        var compact = await ToxicCli.RunAsync(["lake", "compact", "--table", uri]);
        Assert.True(compact.ExitCode == 0, compact.Errors);
        Assert.Contains("version=3 files_removed=3 files_added=1 rows=3", compact.Output, StringComparison.Ordinal);

        var history = await ToxicCli.RunAsync(["lake", "history", "--table", uri]);
        Assert.True(history.ExitCode == 0, history.Errors);
        var lines = history.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["3", "2", "1", "0"], lines.Select(l => l.Split('\t')[0]));
        Assert.Equal("OPTIMIZE", lines[0].Split('\t')[2]);
        Assert.Contains("files_added=1 files_removed=3 rows_added=3", lines[0], StringComparison.Ordinal);
        Assert.Contains("cli-0.csv", lines[3], StringComparison.Ordinal);

        var dry = await ToxicCli.RunAsync(["lake", "vacuum", "--table", uri, "--retain", "0", "--dry-run"]);
        Assert.True(dry.ExitCode == 0, dry.Errors);
        Assert.Equal(3, dry.Output.Split('\n').Count(l => l.StartsWith("would delete\t", StringComparison.Ordinal)));
        Assert.Contains("warning: a retention under 168 hours", dry.Errors, StringComparison.Ordinal);

        var vacuum = await ToxicCli.RunAsync(["lake", "vacuum", "--table", uri, "--retain", "0"]);
        Assert.True(vacuum.ExitCode == 0, vacuum.Errors);
        Assert.Contains("deleted files=3", vacuum.Output, StringComparison.Ordinal);
        Assert.Equal(3, (await LakeFiles.ReadAsync(table, (await new DeltaTable(table.Store, table.Root).LoadAsync(null, CancellationToken.None))!)).Count);
    }

    [Fact]
    public async Task A_location_without_a_table_is_an_error_that_says_so()
    {
        var result = await ToxicCli.RunAsync(["lake", "history", "--table", $"s3://lake-cli-{Guid.NewGuid():N}"[..35] + "/nothing"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is not a Delta table", result.Errors, StringComparison.Ordinal);
    }
}
