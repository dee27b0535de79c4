using System.Text;
using ToxicFunctions.Streaming;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Streaming;

/// <summary>
/// Records flattened by Debezium's ExtractNewRecordState transform reach staging when they carry the operation and the
/// position (add.fields=op,lsn); without them they are dead-lettered with a reason naming the fields to add.
/// </summary>
public sealed class FlattenedRecordTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Flattened_create_update_and_rewritten_delete_apply_and_records_without_op_or_lsn_are_dead_lettered()
    {
        var applier = database.Get<StreamChangeApplier>();
        var id = Guid.NewGuid();
        var other = Guid.NewGuid();
        await applier.ApplyAsync(
        [
            Message(1, id, $$"""{"id":"{{id}}","comment_text":"first words","labels":0,"created_at":"2026-11-30T09:15:02Z","updated_at":"2026-11-30T09:15:02Z","__op":"c","__lsn":1000,"__sequence":"[null,\"1000\"]","__source_ts_ms":1796030102418}"""),
            Message(2, id, $$"""{"id":"{{id}}","comment_text":"second words","labels":1,"created_at":"2026-11-30T09:15:02Z","updated_at":"2026-11-30T09:16:02Z","__op":"u","__lsn":2000,"__source_ts_ms":1796030162418}"""),
            Message(3, other, $$"""{"id":"{{other}}","comment_text":"no position","labels":0,"__op":"c"}"""),
            Message(4, other, $$"""{"id":"{{other}}","comment_text":"no operation","labels":0,"__lsn":2500}"""),
        ]);

        Assert.Equal("second words", await database.ScalarAsync<string>("SELECT comment_text FROM staging.stream_comments WHERE source_id = @id AND NOT deleted", ("id", id)));
        Assert.Equal(0, await database.ScalarAsync<long>("SELECT count(*) FROM staging.stream_comments WHERE source_id = @id", ("id", other)));
        var errors = await database.ScalarAsync<string[]>("SELECT array_agg(error ORDER BY \"offset\") FROM staging.stream_dead_letters WHERE topic = 'flat'");
        Assert.Equal(2, errors.Length);
        Assert.All(errors, e => Assert.Contains("add.fields=op,lsn", e, StringComparison.Ordinal));

        await applier.ApplyAsync(
        [
            Message(5, id, $$"""{"id":"{{id}}","comment_text":"second words","labels":1,"created_at":"2026-11-30T09:15:02Z","updated_at":"2026-11-30T09:16:02Z","__op":"d","__lsn":3000,"__deleted":"true"}"""),
        ]);
        Assert.True(await database.ScalarAsync<bool>("SELECT deleted FROM staging.stream_comments WHERE source_id = @id", ("id", id)));
    }

    private static StreamMessage Message(long offset, Guid id, string value) =>
        new("flat", 0, offset, Encoding.UTF8.GetBytes($$"""{"id":"{{id}}"}"""), Encoding.UTF8.GetBytes(value));
}
