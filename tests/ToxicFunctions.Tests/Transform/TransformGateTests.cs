using ToxicFunctions.Tests.Infrastructure;
using ToxicFunctions.Transform;
using static ToxicFunctions.Tests.Infrastructure.StagingRows;

namespace ToxicFunctions.Tests.Transform;

/// <summary>A transform that would break the production contract or fail a production test publishes nothing.</summary>
public sealed class TransformGateTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private TransformService Transform => database.Get<TransformService>();

    private Task<long> ProductionRowsAsync() => database.ScalarAsync<long>("SELECT count(*) FROM production.comments");

    [Fact]
    public async Task A_table_that_breaks_its_contract_is_not_published()
    {
        var load = await AddLoadAsync(database);
        var id = Guid.CreateVersion7();
        await AddBatchAsync(database, load, 2, id, "contract", 0, Tokens(3));
        await ExecuteAsync(database, "ALTER TABLE production.comments ADD COLUMN extra integer, ALTER COLUMN load_id SET NOT NULL");
        var before = await ProductionRowsAsync();

        TransformGateException error;
        try
        {
            error = await Assert.ThrowsAsync<TransformGateException>(() => Transform.RunAsync());
        }
        finally
        {
            await ExecuteAsync(database, "ALTER TABLE production.comments DROP COLUMN extra, ALTER COLUMN load_id DROP NOT NULL");
        }

        Assert.Contains("column extra is not in the contract", error.Message, StringComparison.Ordinal);
        Assert.Contains("column load_id is NOT NULL, declared nullable", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await ProductionRowsAsync());
        Assert.Equal(0, await database.ScalarAsync<long>("SELECT count(*) FROM production.transformed_loads WHERE load_id = @id", ("id", load)));

        await Transform.RunAsync();
        Assert.Equal(1, await database.ScalarAsync<long>("SELECT count(*) FROM production.comments WHERE comment_id = @id", ("id", id)));
    }

    [Fact]
    public async Task A_failing_production_test_rolls_the_run_back()
    {
        var bad = Guid.NewGuid();
        await database.ScalarAsync<int>(
            """
            INSERT INTO production.comments (comment_id, origin, comment_text, labels, input_ids, source_lsn, ingested_at, transformed_at)
            VALUES (@id, 'stream', 'written by hand', 2, '{101,102}', '0/1', now(), now()) RETURNING 1
            """,
            ("id", bad));
        var load = await AddLoadAsync(database);
        var id = Guid.CreateVersion7();
        await AddBatchAsync(database, load, 2, id, "waits for a clean production", 0, Tokens(3));

        var error = await Assert.ThrowsAsync<TransformGateException>(() => Transform.RunAsync());

        Assert.Contains("labels_accepted", error.Message, StringComparison.Ordinal);
        Assert.Contains(bad.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await database.ScalarAsync<long>("SELECT count(*) FROM production.comments WHERE comment_id = @id", ("id", id)));

        await database.ScalarAsync<int>("DELETE FROM production.comments WHERE comment_id = @id RETURNING 1", ("id", bad));
        await Transform.RunAsync();
        Assert.Equal(1, await database.ScalarAsync<long>("SELECT count(*) FROM production.comments WHERE comment_id = @id", ("id", id)));
    }
}
