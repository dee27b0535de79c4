using Amazon.S3;
using ToxicFunctions.Csv;
using ToxicFunctions.Lake;
using ToxicFunctions.Pipeline;
using ToxicFunctions.Storage;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Lake;

/// <summary>
/// An object's append rolls to a new data file every <see cref="RawCommentsAppend.RowsPerFile"/> rows, uploading each
/// while the next is written, and commits them all in one version; an abandoned append leaves nothing in the store.
/// </summary>
public sealed class RawCommentsAppendTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private DeltaTable NewTable() => new(new S3ArtifactStore(database.Get<IAmazonS3>(), $"lake-append-{Guid.NewGuid():N}"[..32]), "raw_comments");

    private static List<CommentRecord> Records(int from, int count) =>
        [.. Enumerable.Range(from, count).Select(i => new CommentRecord(i + 2, $"comment {i}", (short)(i % 2)))];

    [Fact]
    public async Task A_large_object_is_committed_as_several_files_in_one_version_with_every_row()
    {
        var table = NewTable();
        var total = 2 * RawCommentsAppend.RowsPerFile + 10;
        var source = new ObjectRef("s3", "raw", "large.csv", "v1", 1);
        await using (var append = new RawCommentsAppend(table, source, TimeProvider.System))
        {
            // Batches that do not line up with the file boundary.
            for (var from = 0; from < total; from += 10_000)
            {
                await append.AddAsync(Records(from, Math.Min(10_000, total - from)), CancellationToken.None);
            }

            Assert.Equal(3, append.Files);
            Assert.Equal(0, await append.CommitAsync(CancellationToken.None));
        }

        var snapshot = (await new DeltaTable(table.Store, table.Root).LoadAsync(null, CancellationToken.None))!;
        Assert.Equal(3, snapshot.Files.Count);
        Assert.All(snapshot.Files.Keys, p => Assert.StartsWith("part-00000-", p, StringComparison.Ordinal));
        var rows = await LakeFiles.ReadAsync(table, snapshot);
        Assert.Equal(Enumerable.Range(0, total).Select(i => (long)i + 2), rows.Select(r => r.LineNumber));
        Assert.Equal(Enumerable.Range(0, total).Select(i => $"comment {i}"), rows.Select(r => r.CommentText));
        Assert.Equal(3, (await table.Store.ListAsync(table.Root, CancellationToken.None)).Count(k => k.EndsWith(".parquet", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_abandoned_append_deletes_the_files_it_uploaded_and_commits_nothing()
    {
        var table = NewTable();
        await using (var append = new RawCommentsAppend(table, new ObjectRef("s3", "raw", "abandoned.csv", "v1", 1), TimeProvider.System))
        {
            await append.AddAsync(Records(0, RawCommentsAppend.RowsPerFile + 5), CancellationToken.None);
            Assert.Equal(2, append.Files);
        }

        Assert.Empty(await table.Store.ListAsync(table.Root, CancellationToken.None));
        Assert.Null(await table.LoadAsync(null, CancellationToken.None));
    }

    [Fact]
    public async Task A_second_append_of_the_same_object_commits_nothing_and_removes_its_files()
    {
        var table = NewTable();
        var source = new ObjectRef("s3", "raw", "twice.csv", "v1", 1);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            await using var append = new RawCommentsAppend(table, source, TimeProvider.System);
            await append.AddAsync(Records(0, 3), CancellationToken.None);
            Assert.Equal(attempt == 0 ? 0 : null, await append.CommitAsync(CancellationToken.None));
        }

        var snapshot = (await table.LoadAsync(null, CancellationToken.None))!;
        Assert.Equal(0, snapshot.Version);
        Assert.Equal(
            snapshot.Files.Keys.Select(table.DataKey).Order(StringComparer.Ordinal),
            (await table.Store.ListAsync(table.Root, CancellationToken.None)).Where(k => k.EndsWith(".parquet", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }
}
