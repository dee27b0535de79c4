using System.Text;
using ToxicFunctions.Ingestion;
using ToxicFunctions.Storage;
using ToxicFunctions.Tests.Infrastructure;
using ToxicFunctions.Tokenization;

namespace ToxicFunctions.Tests.Ingestion;

/// <summary>Batch ingestion into the real PostgreSQL: content, idempotency and rejected records.</summary>
public sealed class BatchIngestServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private BatchIngestService Ingest => database.Get<BatchIngestService>();

    private static RawObject Object(string key, string version, string csv) =>
        new(new ObjectRef("file", "tests", key, version, Encoding.UTF8.GetByteCount(csv)), new MemoryStream(Encoding.UTF8.GetBytes(csv)));

    private Task<long> CountAsync(string table, long loadId) =>
        database.ScalarAsync<long>($"SELECT count(*) FROM staging.{table} WHERE load_id = @id", ("id", loadId));

    [Fact]
    public async Task Loads_every_comment_of_the_sample_data_with_exact_token_ids()
    {
        var sample = SampleData.File;
        var file = new FileInfo(sample.Path);
        await using var obj = new RawObject(new ObjectRef("file", "sample", file.Name, "v1", file.Length), file.OpenRead());

        var result = await Ingest.IngestAsync(obj);

        Assert.Equal(IngestOutcome.Loaded, result.Outcome);
        Assert.Equal(sample.Rows, result.RowsLoaded);
        Assert.Equal(0, result.RowsRejected);
        Assert.Equal(sample.Rows, await CountAsync("comments", result.LoadId));
        Assert.Equal(sample.ToxicRows, await database.ScalarAsync<long>("SELECT count(*) FROM staging.comments WHERE load_id = @id AND labels = 1", ("id", result.LoadId)));

        // Every stored array is the tokenizer's output for the stored text.
        var tokenizer = WordPieceTokenizer.DistilBertBaseUncased;
        var texts = new List<string>();
        await using var command = database.DataSource.CreateCommand("SELECT comment_text, input_ids FROM staging.comments WHERE load_id = @id ORDER BY line_number");
        command.Parameters.AddWithValue("id", result.LoadId);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                texts.Add(reader.GetString(0));
                Assert.Equal(tokenizer.Encode(texts[^1]), reader.GetFieldValue<int[]>(1));
            }
        }

        Assert.Equal(sample.Rows, texts.Count);
        if (!sample.IsReal)
        {
            // The generator knows every text: quoted commas, doubled quotes, line breaks and non-ASCII arrive intact, in order.
            Assert.Equal(SyntheticSample.Comments.Select(c => c.Text), texts);
        }
    }

    [Fact]
    public async Task The_same_object_version_delivered_again_adds_nothing()
    {
        const string csv = "comment_text,labels\nfirst,0\nsecond,1\n";
        var first = await Ingest.IngestAsync(Object("twice.csv", "etag-1", csv));
        var again = await Ingest.IngestAsync(Object("twice.csv", "etag-1", csv));

        Assert.Equal(IngestOutcome.Loaded, first.Outcome);
        Assert.Equal(IngestOutcome.AlreadyLoaded, again.Outcome);
        Assert.Equal(first.LoadId, again.LoadId);
        Assert.Equal(2, await CountAsync("comments", first.LoadId));

        // A new version of the same key is a new load.
        var next = await Ingest.IngestAsync(Object("twice.csv", "etag-2", csv));
        Assert.Equal(IngestOutcome.Loaded, next.Outcome);
        Assert.NotEqual(first.LoadId, next.LoadId);
    }

    [Fact]
    public async Task Concurrent_deliveries_of_one_version_load_it_once()
    {
        var csv = "comment_text,labels\n" + string.Concat(Enumerable.Range(0, 5000).Select(i => $"comment number {i},{i % 2}\n"));
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Ingest.IngestAsync(Object("race.csv", "v", csv)))));

        Assert.Single(results, r => r.Outcome == IngestOutcome.Loaded);
        Assert.Equal(3, results.Count(r => r.Outcome == IngestOutcome.AlreadyLoaded));
        Assert.Equal(5000, await CountAsync("comments", results[0].LoadId));
    }

    [Fact]
    public async Task Broken_quoting_and_bad_labels_go_to_the_rejected_table_and_the_rest_loads()
    {
        var csv = string.Join('\n',
            "comment_text,labels",
            "good one,0",                      // 2
            "\"quoted, with comma\",1",        // 3
            "\"bad \"quote\" here\",0",        // 4: garbage after a closing quote
            "label is text,toxic",             // 5
            "\"multi",                         // 6-7: good, spans two lines
            "line\",1",
            "label is two,2",                  // 8
            "\"never closed,1",                // 9: unterminated quote, resumes at 10
            "after the break,0",               // 10
            "extra,field,1",                   // 11
            "last good,1",                     // 12
            "");
        var result = await Ingest.IngestAsync(Object("broken.csv", "v1", csv));

        Assert.Equal(IngestOutcome.Loaded, result.Outcome);
        Assert.Equal((5L, 5L), (result.RowsLoaded, result.RowsRejected));

        var loaded = await ReadAsync<long>("SELECT line_number FROM staging.comments WHERE load_id = @id ORDER BY line_number", result.LoadId);
        Assert.Equal([2L, 3L, 6L, 10L, 12L], loaded);

        var rejected = await ReadAsync<long>("SELECT line_number FROM staging.rejected_records WHERE load_id = @id ORDER BY line_number", result.LoadId);
        Assert.Equal([4L, 5L, 8L, 9L, 11L], rejected);
        Assert.Equal(
            "label is text,toxic",
            await database.ScalarAsync<string>("SELECT raw_text FROM staging.rejected_records WHERE load_id = @id AND line_number = 5", ("id", result.LoadId)));
        Assert.Contains(
            "0 or 1",
            await database.ScalarAsync<string>("SELECT reason FROM staging.rejected_records WHERE load_id = @id AND line_number = 8", ("id", result.LoadId)),
            StringComparison.Ordinal);
        Assert.Equal(
            "multi\nline",
            await database.ScalarAsync<string>("SELECT comment_text FROM staging.comments WHERE load_id = @id AND line_number = 6", ("id", result.LoadId)));
    }

    [Fact]
    public async Task Many_rejections_are_all_kept_across_copy_runs()
    {
        var lines = Enumerable.Range(0, 3000).Select(i => i % 3 == 0 ? $"bad {i},x" : $"good {i},{i % 2}");
        var result = await Ingest.IngestAsync(Object("mixed.csv", "v1", "comment_text,labels\n" + string.Join('\n', lines)));

        Assert.Equal((2000L, 1000L), (result.RowsLoaded, result.RowsRejected));
        Assert.Equal(2000, await CountAsync("comments", result.LoadId));
        Assert.Equal(1000, await CountAsync("rejected_records", result.LoadId));
    }

    [Fact]
    public async Task A_file_without_the_expected_header_fails_as_a_whole_and_stays_failed()
    {
        var first = await Ingest.IngestAsync(Object("noheader.csv", "v1", "text,label\nhello,1\n"));
        var again = await Ingest.IngestAsync(Object("noheader.csv", "v1", "text,label\nhello,1\n"));

        Assert.Equal(IngestOutcome.Failed, first.Outcome);
        Assert.Contains("comment_text", first.Reason, StringComparison.Ordinal);
        Assert.Equal(IngestOutcome.Failed, again.Outcome);
        Assert.Equal(0, await CountAsync("comments", first.LoadId));
        Assert.Equal("failed", await database.ScalarAsync<string>("SELECT status FROM staging.loads WHERE load_id = @id", ("id", first.LoadId)));
    }

    [Fact]
    public async Task A_stream_that_breaks_mid_file_leaves_nothing_so_a_redelivery_loads_everything()
    {
        var csv = "comment_text,labels\n" + string.Concat(Enumerable.Range(0, 20_000).Select(i => $"row {i},0\n"));
        var bytes = Encoding.UTF8.GetBytes(csv);
        var broken = new RawObject(new ObjectRef("file", "tests", "flaky.csv", "v1", bytes.Length), new FailingStream(bytes, failAfter: bytes.Length / 2));

        await Assert.ThrowsAsync<IOException>(() => Ingest.IngestAsync(broken));
        Assert.Equal(0, await database.ScalarAsync<long>("SELECT count(*) FROM staging.loads WHERE object_key = 'flaky.csv'"));

        var retry = await Ingest.IngestAsync(Object("flaky.csv", "v1", csv));
        Assert.Equal(IngestOutcome.Loaded, retry.Outcome);
        Assert.Equal(20_000, await CountAsync("comments", retry.LoadId));
    }

    private async Task<List<T>> ReadAsync<T>(string sql, long loadId)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("id", loadId);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<T>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetFieldValue<T>(0));
        }

        return values;
    }

    /// <summary>A network stream that drops after some bytes.</summary>
    private sealed class FailingStream(byte[] data, int failAfter) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position >= failAfter ? throw new IOException("connection reset") : base.ReadAsync(buffer[..Math.Min(buffer.Length, 4096)], cancellationToken);
    }
}
