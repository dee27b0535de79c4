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
        var store = new CommentEncodingStore(database.DataSource);
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
    public async Task Staged_comments_are_encoded_once_and_tombstones_not_at_all()
    {
        var store = new CommentEncodingStore(database.DataSource);
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
}
