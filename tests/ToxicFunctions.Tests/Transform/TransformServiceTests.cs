using ToxicFunctions.Tests.Infrastructure;
using ToxicFunctions.Transform;
using static ToxicFunctions.Tests.Infrastructure.StagingRows;

namespace ToxicFunctions.Tests.Transform;

/// <summary>The transform on real PostgreSQL: both staging sources into production.comments, incrementally and idempotently.</summary>
public sealed class TransformServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private TransformService Transform => database.Get<TransformService>();

    private Task<long> CountAsync(string where, params (string Name, object Value)[] parameters) =>
        database.ScalarAsync<long>($"SELECT count(*) FROM production.comments WHERE {where}", parameters);

    // Every column of every production row, in key order: equal snapshots mean nothing changed.
    private Task<string> SnapshotAsync() => database.ScalarAsync<string>(
        "SELECT coalesce(md5(string_agg(c::text, '|' ORDER BY comment_id)), '') FROM production.comments c");

    [Fact]
    public async Task Batch_and_stream_rows_flow_into_one_table_and_unclean_rows_stay_out()
    {
        var load = await AddLoadAsync(database);
        var good = Enumerable.Range(0, 3).Select(_ => Guid.CreateVersion7()).ToArray();
        for (var i = 0; i < good.Length; i++)
        {
            await AddBatchAsync(database, load, i + 2, good[i], $"good {i}", (short)(i % 2), Tokens(3 + i));
        }

        var labelTwo = Guid.CreateVersion7();
        var noSep = Guid.CreateVersion7();
        var tooLong = Guid.CreateVersion7();
        await AddBatchAsync(database, load, 10, labelTwo, "label two", 2, Tokens(4));
        await AddBatchAsync(database, load, 11, noSep, "no sep", 0, [101, 2000]);
        await AddBatchAsync(database, load, 12, tooLong, "too long", 0, Tokens(600));
        var slowLoad = await AddLoadAsync(database, "loading");
        var late = Guid.CreateVersion7();
        await AddBatchAsync(database, slowLoad, 2, late, "from a load that finishes later", 1, Tokens(5));
        var streamed = Guid.NewGuid();
        var neverSeen = Guid.NewGuid();
        await PutStreamAsync(database, streamed, "streamed", 1, "0/A0");
        await PutStreamAsync(database, neverSeen, null, 0, "0/B0");

        var result = await Transform.RunAsync();

        Assert.Equal(3, await CountAsync("comment_id = ANY(@ids) AND origin = 'batch' AND load_id = @load", ("ids", good), ("load", load)));
        Assert.Equal(1, await CountAsync("comment_id = @id AND origin = 'stream' AND source_lsn = '0/A0' AND labels = 1", ("id", streamed)));
        Assert.Equal(0, await CountAsync("comment_id = ANY(@ids)", ("ids", new[] { labelTwo, noSep, tooLong, late, neverSeen })));
        Assert.True(result.Rows("batch_comments") >= 3);
        Assert.All(result.Tests, t => Assert.True(t.Passed, t.Detail));
        Assert.Equal(await CountAsync("true"), result.RowsInProduction);

        // The slower load, with the lower or higher load_id alike, is taken once it is complete.
        await database.ScalarAsync<int>("UPDATE staging.loads SET status = 'loaded' WHERE load_id = @id RETURNING 1", ("id", slowLoad));
        await Transform.RunAsync();
        Assert.Equal(1, await CountAsync("comment_id = @id AND load_id = @load", ("id", late), ("load", slowLoad)));
    }

    [Fact]
    public async Task Rerunning_the_transform_changes_nothing()
    {
        var load = await AddLoadAsync(database);
        await AddBatchAsync(database, load, 2, Guid.CreateVersion7(), "rerun me", 0, Tokens(4));
        await PutStreamAsync(database, Guid.NewGuid(), "rerun stream", 0, "0/C0");
        await Transform.RunAsync();
        var before = await SnapshotAsync();

        var again = await Transform.RunAsync();

        Assert.Equal(before, await SnapshotAsync());
        Assert.All(
            new[] { "pending_loads", "batch_comments", "transformed_loads", "stream_changes", "stream_deletes", "stream_updates", "stream_inserts" },
            model => Assert.Equal(0, again.Rows(model)));
    }

    [Fact]
    public async Task Updated_and_deleted_source_comments_are_reflected_in_production()
    {
        var id = Guid.NewGuid();
        await PutStreamAsync(database, id, "first version", 0, "0/1000");
        await Transform.RunAsync();
        Assert.Equal(1, await CountAsync("comment_id = @id AND comment_text = 'first version' AND labels = 0", ("id", id)));

        await PutStreamAsync(database, id, "second version", 1, "0/2000");
        var updated = await Transform.RunAsync();
        Assert.Equal(1, await CountAsync("comment_id = @id AND comment_text = 'second version' AND labels = 1 AND source_lsn = '0/2000'", ("id", id)));
        Assert.Equal(1, updated.Rows("stream_updates"));

        await PutStreamAsync(database, id, null, 0, "0/3000");
        var deleted = await Transform.RunAsync();
        Assert.Equal(0, await CountAsync("comment_id = @id", ("id", id)));
        Assert.Equal(1, deleted.Rows("stream_deletes"));

        // A source comment that comes back (a new row under the same id) enters again.
        await PutStreamAsync(database, id, "back again", 0, "0/4000");
        await Transform.RunAsync();
        Assert.Equal(1, await CountAsync("comment_id = @id AND comment_text = 'back again'", ("id", id)));
    }

    [Fact]
    public async Task Post_steps_index_and_analyze_production_and_the_run_is_recorded()
    {
        var load = await AddLoadAsync(database);
        await AddBatchAsync(database, load, 2, Guid.CreateVersion7(), "analyze me", 1, Tokens(3));

        var result = await Transform.RunAsync();

        Assert.Equal(1, await database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_indexes WHERE schemaname = 'production' AND tablename = 'comments' AND indexname = 'comments_labels_idx'"));
        Assert.True(await database.ScalarAsync<long>("SELECT count(*) FROM pg_stats WHERE schemaname = 'production' AND tablename = 'comments'") > 0);
        Assert.Equal(result.RowsInProduction, await database.ScalarAsync<long>("SELECT rows_total FROM production.transform_runs WHERE run_id = @id", ("id", result.RunId)));
        Assert.Contains(result.Models, m => m.Name == "analyze");
    }
}
