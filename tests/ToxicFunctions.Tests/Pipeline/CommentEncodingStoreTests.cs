using Microsoft.Extensions.Options;
using ToxicFunctions.Pipeline;
using ToxicFunctions.Tests.Infrastructure;
using ToxicFunctions.Tokenization;
using ToxicFunctions.Training;

namespace ToxicFunctions.Tests.Pipeline;

/// <summary>Encoder features kept per comment text in ml.comment_encodings, against the real PostgreSQL.</summary>
public sealed class CommentEncodingStoreTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly FeatureSettings s_settings = new();

    [Fact]
    public async Task Features_are_computed_once_per_text_then_read_back_unchanged()
    {
        var store = new CommentEncodingStore(database.DataSource, Options.Create(new PipelineOptions()));
        await database.ExecuteAsync("TRUNCATE ml.comment_encodings");
        string[] texts = ["you are a complete idiot", "thanks for fixing the citation", "you are a complete idiot", "ok"];
        var comments = texts.Select(t => (t, WordPieceTokenizer.DistilBertBaseUncased.Encode(t))).ToArray();

        var first = await store.GetOrComputeAsync(s_settings, comments, CancellationToken.None);
        var second = await store.GetOrComputeAsync(s_settings, comments, CancellationToken.None);

        Assert.Equal((0, 3), (first.Kept, first.Computed));
        Assert.Equal((3, 0), (second.Kept, second.Computed));
        Assert.Equal(3L, await database.ScalarAsync<long>("SELECT count(*) FROM ml.comment_encodings"));
        using var encoder = new CommentEncoder(s_settings.EncoderLayers, s_settings.EncoderMaxTokens);
        var direct = encoder.Encode(comments.Select(c => CommentFeaturizer.ContentIds(c.Item2)).ToArray());
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(EncoderGraph.Dimension, second.Features[i].Length);
            Assert.Equal(first.Features[i], second.Features[i]);
            for (var j = 0; j < EncoderGraph.Dimension; j++)
            {
                Assert.Equal(direct[i][j], second.Features[i][j], 1e-4);
            }
        }

        Assert.Equal(second.Features[0], second.Features[2]);

        // Another encoder configuration is another key: nothing kept for it yet.
        var shorter = await store.GetOrComputeAsync(s_settings with { EncoderMaxTokens = 4 }, comments[..1], CancellationToken.None);
        Assert.Equal((0, 1), (shorter.Kept, shorter.Computed));
    }

    [Fact]
    public async Task Concurrent_writers_take_turns_and_never_encode_a_text_twice()
    {
        var store = new CommentEncodingStore(database.DataSource, Options.Create(new PipelineOptions()));
        await database.ExecuteAsync("TRUNCATE ml.comment_encodings");
        var comments = Enumerable.Range(0, 12)
            .Select(i => ($"comment number {i} for the encoder", WordPieceTokenizer.DistilBertBaseUncased.Encode($"comment number {i} for the encoder")))
            .ToArray();

        // Hold the configuration's turn so that both writers find everything missing and queue behind it.
        await using var holder = await database.DataSource.OpenConnectionAsync();
        await using (var take = new Npgsql.NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended($1, 0))", holder))
        {
            take.Parameters.Add(new Npgsql.NpgsqlParameter<string> { TypedValue = CommentEncodingStore.EncoderKey(s_settings) });
            await take.ExecuteNonQueryAsync();
        }

        var timer = store.GetOrComputeAsync(s_settings, comments[..8], CancellationToken.None);
        var training = store.GetOrComputeAsync(s_settings, comments[4..], CancellationToken.None);
        const string Waiting = """
            SELECT count(*) FROM pg_locks
            WHERE locktype = 'advisory' AND NOT granted AND ((classid::bigint << 32) | objid::bigint) = hashtextextended(@key, 0)
            """;
        while (await database.ScalarAsync<long>(Waiting, ("key", CommentEncodingStore.EncoderKey(s_settings))) < 2)
        {
            Assert.False(timer.IsCompleted || training.IsCompleted, "a writer finished without waiting for its turn");
            await Task.Delay(20);
        }

        await using (var release = new Npgsql.NpgsqlCommand("SELECT pg_advisory_unlock_all()", holder))
        {
            await release.ExecuteNonQueryAsync();
        }

        var results = await Task.WhenAll(timer, training);

        // 12 distinct texts, 4 of them wanted by both: each encoded by exactly one writer.
        Assert.Equal(12, results.Sum(r => r.Computed));
        Assert.Equal(16, results.Sum(r => r.Kept + r.Computed));
        Assert.Equal(12L, await database.ScalarAsync<long>("SELECT count(*) FROM ml.comment_encodings"));
        Assert.Equal(results[0].Features[4..], results[1].Features[..4]);
        Assert.All(results.SelectMany(r => r.Features), f => Assert.Equal(EncoderGraph.Dimension, f.Length));
    }

    [Fact]
    public async Task Staged_comments_are_encoded_once_and_tombstones_not_at_all()
    {
        var store = new CommentEncodingStore(database.DataSource, Options.Create(new PipelineOptions()));
        await database.ExecuteAsync("TRUNCATE staging.comments, staging.loads, staging.stream_comments, ml.comment_encodings CASCADE");
        var load = await StagingRows.AddLoadAsync(database);
        await StagingRows.AddBatchAsync(database, load, 2, Guid.NewGuid(), "first staged comment", 0, StagingRows.Tokens(5));
        await StagingRows.AddBatchAsync(database, load, 3, Guid.NewGuid(), "second staged comment", 1, StagingRows.Tokens(6));
        await StagingRows.AddBatchAsync(database, load, 4, Guid.NewGuid(), "first staged comment", 0, StagingRows.Tokens(5));
        var pending = await StagingRows.AddLoadAsync(database, status: "loading");
        await StagingRows.AddBatchAsync(database, pending, 2, Guid.NewGuid(), "not loaded yet", 0, StagingRows.Tokens(4));
        await StagingRows.PutStreamAsync(database, Guid.NewGuid(), "a streamed comment", 0, "0/10");
        await StagingRows.PutStreamAsync(database, Guid.NewGuid(), null, 0, "0/11");

        Assert.Equal(2, await store.EncodeStagedAsync(s_settings, 2, CancellationToken.None));
        Assert.Equal(1, await store.EncodeStagedAsync(s_settings, 2, CancellationToken.None));
        Assert.Equal(0, await store.EncodeStagedAsync(s_settings, 2, CancellationToken.None));
        Assert.Equal(3L, await database.ScalarAsync<long>("SELECT count(*) FROM ml.comment_encodings"));
    }

    [Fact]
    public async Task The_backlog_counts_live_staged_comments_without_features_up_to_the_cap()
    {
        var store = new CommentEncodingStore(database.DataSource, Options.Create(new PipelineOptions()));
        await database.ExecuteAsync("TRUNCATE staging.comments, staging.loads, staging.stream_comments, ml.comment_encodings CASCADE");
        var load = await StagingRows.AddLoadAsync(database);
        await StagingRows.AddBatchAsync(database, load, 2, Guid.NewGuid(), "first backlog comment", 0, StagingRows.Tokens(5));
        await StagingRows.AddBatchAsync(database, load, 3, Guid.NewGuid(), "second backlog comment", 1, StagingRows.Tokens(6));
        await StagingRows.AddBatchAsync(database, load, 4, Guid.NewGuid(), "first backlog comment", 0, StagingRows.Tokens(5));
        var pending = await StagingRows.AddLoadAsync(database, status: "loading");
        await StagingRows.AddBatchAsync(database, pending, 2, Guid.NewGuid(), "not loaded yet", 0, StagingRows.Tokens(4));
        await StagingRows.PutStreamAsync(database, Guid.NewGuid(), "a streamed backlog comment", 0, "0/10");
        await StagingRows.PutStreamAsync(database, Guid.NewGuid(), null, 0, "0/11");

        // Copies count each; rows of a load still loading and tombstones are not staged comments.
        Assert.Equal(4L, await store.CountBacklogAsync(s_settings, 100, CancellationToken.None));
        Assert.Equal(3L, await store.CountBacklogAsync(s_settings, 3, CancellationToken.None));

        Assert.Equal(2, await store.EncodeStagedAsync(s_settings, 2, CancellationToken.None));
        Assert.Equal(1L, await store.CountBacklogAsync(s_settings, 100, CancellationToken.None));
        while (await store.EncodeStagedAsync(s_settings, 2, CancellationToken.None) > 0)
        {
        }

        Assert.Equal(0L, await store.CountBacklogAsync(s_settings, 100, CancellationToken.None));
        await StagingRows.PutStreamAsync(database, Guid.NewGuid(), "one more streamed comment", 1, "0/12");

        // Seen once PostgreSQL's table statistics count the write (a backend reports them within a second or so).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await store.CountBacklogAsync(s_settings, 100, CancellationToken.None) != 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "the new staged comment was not in the backlog within 30 s");
            await Task.Delay(100);
        }
    }
}
