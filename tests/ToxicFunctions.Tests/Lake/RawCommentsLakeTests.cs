using System.Text;
using System.Text.Json;
using Amazon.S3;
using Microsoft.Extensions.DependencyInjection;
using ToxicFunctions.Ingestion;
using ToxicFunctions.Lake;
using ToxicFunctions.Pipeline;
using ToxicFunctions.Storage;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Lake;

/// <summary>
/// The raw zone's Delta table on the real stores: batch ingest appends each object's accepted rows (read back with
/// DuckDB from the files the log lists), commits race safely on radosgw (If-None-Match: *) and Azurite (409), a
/// redelivered object adds nothing, and a reader at version N sees exactly version N's rows.
/// </summary>
public sealed class RawCommentsLakeTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static RawObject Object(string key, string csv) =>
        new(new ObjectRef("file", "tests", key, "v1", Encoding.UTF8.GetByteCount(csv)), new MemoryStream(Encoding.UTF8.GetBytes(csv)));

    private static string Bucket() => $"lake-test-{Guid.NewGuid():N}"[..32];

    [Fact]
    public async Task Ingest_appends_the_accepted_rows_of_each_object_which_an_independent_reader_reads_back()
    {
        var bucket = Bucket();
        await using var services = database.CreateServices(new Dictionary<string, string?> { ["Lake:TableUri"] = $"s3://{bucket}/raw_comments" });
        var ingest = services.GetRequiredService<BatchIngestService>();
        var key = $"lake/{Guid.NewGuid():N}/comments.csv";
        // Quotes, a newline inside a field, non-ASCII text, and one malformed record (line 5), which is rejected.
        var csv = "comment_text,labels\n\"say \"\"hi\"\"\",0\n\"two\nlines\",1\nnaïve café ☕,0\nbroken,7\nlast one,1\n";

        await using (var obj = Object(key, csv))
        {
            var result = await ingest.IngestAsync(obj);
            Assert.Equal((IngestOutcome.Loaded, 4L, 1L), (result.Outcome, result.RowsLoaded, result.RowsRejected));
        }

        var table = services.GetRequiredService<RawCommentsLake>().Table!;
        Assert.Equal($"s3://{bucket}/raw_comments/", table.Uri);
        var snapshot = (await new DeltaTable(table.Store, table.Root).LoadAsync(null, CancellationToken.None))!;
        Assert.Equal(0, snapshot.Version);
        Assert.Equal(new DeltaProtocol(1, 2), snapshot.Protocol);
        Assert.Equal(RawCommentsTable.SchemaString, snapshot.Metadata!.SchemaString);
        var file = Assert.Single(snapshot.Files.Values);
        using (var stats = JsonDocument.Parse(file.Stats!))
        {
            Assert.Equal(4, stats.RootElement.GetProperty("numRecords").GetInt64());
            Assert.Equal(2, stats.RootElement.GetProperty("minValues").GetProperty("line_number").GetInt64());
            Assert.Equal(7, stats.RootElement.GetProperty("maxValues").GetProperty("line_number").GetInt64());
            Assert.Equal(key, stats.RootElement.GetProperty("maxValues").GetProperty("source_key").GetString());
        }

        var rows = await LakeFiles.ReadAsync(table, snapshot);
        Assert.Equal(["say \"hi\"", "two\nlines", "naïve café ☕", "last one"], rows.Select(r => r.CommentText));
        Assert.Equal([0, 1, 0, 1], rows.Select(r => r.Labels));
        Assert.Equal([2L, 3L, 5L, 7L], rows.Select(r => r.LineNumber));
        Assert.All(rows, r => Assert.Equal(("file", key, "v1"), (r.SourceStore, r.SourceKey, r.SourceVersion)));
        Assert.True(await table.Store.ExistsAsync(table.DataKey(file.Path), CancellationToken.None));

        // The same object again: staging takes nothing, and neither does the lake.
        await using (var again = Object(key, csv))
        {
            Assert.Equal(IngestOutcome.AlreadyLoaded, (await ingest.IngestAsync(again)).Outcome);
        }

        Assert.Equal(0, (await table.LoadAsync(null, CancellationToken.None))!.Version);
    }

    [Fact]
    public async Task An_object_appended_twice_is_committed_once()
    {
        var table = new DeltaTable(new S3ArtifactStore(database.Get<IAmazonS3>(), Bucket()), "raw_comments");
        var source = new ObjectRef("s3", "raw", "twice.csv", "etag-1", 10);

        Assert.Equal(0, await LakeFiles.AppendAsync(table, source, 3));
        Assert.Null(await LakeFiles.AppendAsync(table, source, 3));

        var snapshot = (await table.LoadAsync(null, CancellationToken.None))!;
        Assert.Equal(0, snapshot.Version);
        Assert.Equal(1L, snapshot.Transactions[RawCommentsLake.AppId(source)]);
        Assert.Equal(3, (await LakeFiles.ReadAsync(table, snapshot)).Count);
    }

    public static TheoryData<string> Stores => ["s3", "blob"];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Concurrent_writers_each_commit_a_version_and_lose_no_row(string store)
    {
        var bucket = Bucket();
        IArtifactStore Store() => LakeFiles.Store(database, store, bucket);

        // Each writer has its own table object (no shared cache), as separate hosts do; all race for version 0 first.
        const int writers = 6;
        var versions = await Task.WhenAll(Enumerable.Range(0, writers).Select(i =>
            Task.Run(() => LakeFiles.AppendAsync(new DeltaTable(Store(), "raw_comments"), new ObjectRef(store, "raw", $"writer-{i}.csv", "v1", 1), 10 + i))));

        Assert.Equal(Enumerable.Range(0, writers).Select(v => (long?)v), versions.Order());
        var table = new DeltaTable(Store(), "raw_comments");
        var snapshot = (await table.LoadAsync(null, CancellationToken.None))!;
        Assert.Equal(writers - 1, snapshot.Version);
        Assert.Equal(writers, snapshot.Files.Count);
        var rows = await LakeFiles.ReadAsync(table, snapshot);
        Assert.Equal(Enumerable.Range(0, writers).Sum(i => 10 + i), rows.Count);
        Assert.Equal(writers, rows.Select(r => r.SourceKey).Distinct().Count());
    }

    [Fact]
    public async Task A_reader_at_version_n_sees_exactly_the_rows_of_version_n()
    {
        var table = new DeltaTable(new S3ArtifactStore(database.Get<IAmazonS3>(), Bucket()), "raw_comments");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(i, await LakeFiles.AppendAsync(table, new ObjectRef("s3", "raw", $"part-{i}.csv", "v1", 1), 5));
        }

        for (var version = 0; version < 3; version++)
        {
            var snapshot = (await new DeltaTable(table.Store, table.Root).LoadAsync(version, CancellationToken.None))!;
            var rows = await LakeFiles.ReadAsync(table, snapshot);
            Assert.Equal(version, snapshot.Version);
            Assert.Equal(Enumerable.Range(0, version + 1).Select(i => $"part-{i}.csv"), rows.Select(r => r.SourceKey).Distinct());
            Assert.Equal(5 * (version + 1), rows.Count);
        }

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => table.LoadAsync(3, CancellationToken.None));
    }

}
