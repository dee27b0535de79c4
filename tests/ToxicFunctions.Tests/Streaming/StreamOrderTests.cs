using ToxicFunctions.Streaming;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Streaming;

/// <summary>
/// Change events apply in (commit, change) WAL position order, against the real PostgreSQL: a transaction that changed a
/// row before the relay's snapshot point and committed after it is newer than the snapshot, though its change
/// positions are lower.
/// </summary>
public sealed class StreamOrderTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_transaction_spanning_the_snapshot_point_wins_over_the_snapshot_row()
    {
        var applier = database.Get<StreamChangeApplier>();
        var id = Guid.NewGuid();
        const ulong SnapshotPoint = 1_000;

        // The relay's snapshot reads the row at its consistent point...
        await applier.ApplyAsync([Event(id, 'r', "as snapshotted", lsn: SnapshotPoint, commitLsn: SnapshotPoint, offset: 1)]);

        // ...then streams a transaction that updated it at 900 and committed at 1,100.
        await applier.ApplyAsync([Event(id, 'u', "updated across the snapshot point", lsn: 900, commitLsn: 1_100, offset: 2)]);
        Assert.Equal("updated across the snapshot point", await TextAsync(id));

        // Older changes still lose: one committed before it, and a redelivery of the snapshot row.
        await applier.ApplyAsync(
        [
            Event(id, 'u', "committed earlier", lsn: 950, commitLsn: 1_050, offset: 3),
            Event(id, 'r', "as snapshotted", lsn: SnapshotPoint, commitLsn: SnapshotPoint, offset: 4),
        ]);
        Assert.Equal("updated across the snapshot point", await TextAsync(id));

        // Within one transaction, the later change wins, in one batch or across batches.
        await applier.ApplyAsync(
        [
            Event(id, 'u', "second change of the transaction", lsn: 1_210, commitLsn: 1_300, offset: 5),
            Event(id, 'u', "first change of the transaction", lsn: 1_200, commitLsn: 1_300, offset: 6),
        ]);
        Assert.Equal("second change of the transaction", await TextAsync(id));
    }

    private static StreamMessage Event(Guid id, char op, string text, ulong lsn, ulong commitLsn, long offset)
    {
        var (key, value) = SourceCommentEvents.Event(id, op, text, lsn, commitLsn);
        return new StreamMessage("toxic.source.comments", 0, offset, key, value);
    }

    private Task<string> TextAsync(Guid id) =>
        database.ScalarAsync<string>("SELECT comment_text FROM staging.stream_comments WHERE source_id = @id", ("id", id));
}
