using ToxicFunctions.Lake;
using ToxicFunctions.Pipeline;
using ToxicFunctions.Storage;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Lake;

/// <summary>
/// Maintenance of the raw zone's Delta table on the real stores: compaction rewrites small files into one with every
/// row kept (read back with DuckDB) in one commit of remove and add actions; vacuum deletes only the files that no
/// version within the retention references, never a live one, a recent upload or the log; history lists the versions.
/// </summary>
public sealed class LakeMaintenanceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    public static TheoryData<string> Stores => ["s3", "blob"];

    private IArtifactStore Store(string kind, string bucket) => LakeFiles.Store(database, kind, bucket);

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Compact_then_vacuum_keep_every_row_and_delete_only_unreferenced_files(string kind)
    {
        var table = new DeltaTable(Store(kind, $"lake-maint-{Guid.NewGuid():N}"[..32]), "raw_comments");
        for (var i = 0; i < 5; i++)
        {
            await LakeFiles.AppendAsync(table, new ObjectRef("s3", "raw", $"part-{i}.csv", "v1", 1), 3 + i);
        }

        var before = (await table.LoadAsync(null, CancellationToken.None))!;
        var rowsBefore = await LakeFiles.ReadAsync(table, before);
        Assert.Equal(5, before.Files.Count);

        var result = await new DeltaCompaction(table, TimeProvider.System).CompactAsync(DeltaCompaction.DefaultTargetFileBytes, CancellationToken.None);

        Assert.Equal((5L, 5, 1, 25L), (result.Version, result.FilesRemoved, result.FilesAdded, result.Rows));
        var compacted = (await new DeltaTable(table.Store, table.Root).LoadAsync(null, CancellationToken.None))!;
        var file = Assert.Single(compacted.Files.Values);
        Assert.False(file.DataChange);
        Assert.Equal(rowsBefore, await LakeFiles.ReadAsync(table, compacted));
        Assert.Equal(5, compacted.Tombstones.Count);
        Assert.Equal(before.Transactions, compacted.Transactions);
        Assert.Equal(DeltaCompaction.MergeStats([.. before.Files.Values], 25), file.Stats);
        Assert.Contains("\"numRecords\":25", file.Stats);
        Assert.Contains("\"line_number\":2", file.Stats);  // the least line of all files
        Assert.Contains("\"line_number\":8", file.Stats);  // the greatest (7 rows from line 2)

        // The version before still reads: its files are tombstones, not deleted.
        Assert.Equal(rowsBefore, await LakeFiles.ReadAsync(table, (await table.LoadAsync(4, CancellationToken.None))!));

        // Nothing left to compact: no commit.
        Assert.Null((await new DeltaCompaction(table, TimeProvider.System).CompactAsync(DeltaCompaction.DefaultTargetFileBytes, CancellationToken.None)).Version);

        // An upload no commit references (a lost race), and a hidden file, beside the table's files.
        var orphan = table.Root + "part-00000-orphan-c000.snappy.parquet";
        var hidden = table.Root + "_temporary/part-0.parquet";
        await table.Store.PutTextAsync(orphan, "not committed", "application/octet-stream", CancellationToken.None);
        await table.Store.PutTextAsync(hidden, "hidden", "application/octet-stream", CancellationToken.None);
        var removed = before.Files.Keys.Select(table.DataKey).Order(StringComparer.Ordinal).ToList();

        // Within the default retention every file is still referenced or too recent.
        var kept = await new DeltaVacuum(table, TimeProvider.System).VacuumAsync(TimeSpan.FromHours(DeltaVacuum.DefaultRetentionHours), false, CancellationToken.None);
        Assert.Empty(kept.Deleted);

        // Retention 0: the compacted-away files go; the recent orphan stays for the grace period.
        var dry = await new DeltaVacuum(table, TimeProvider.System).VacuumAsync(TimeSpan.Zero, true, CancellationToken.None);
        Assert.Equal(removed, dry.Deleted);
        Assert.True(await table.Store.ExistsAsync(removed[0], CancellationToken.None));
        var vacuumed = await new DeltaVacuum(table, TimeProvider.System).VacuumAsync(TimeSpan.Zero, false, CancellationToken.None);
        Assert.Equal(removed, vacuumed.Deleted);
        Assert.True(vacuumed.BytesDeleted > 0);
        foreach (var key in removed)
        {
            Assert.False(await table.Store.ExistsAsync(key, CancellationToken.None));
        }

        // Past the grace period the orphan goes too; the live file, the hidden file and the log stay.
        var later = await new DeltaVacuum(table, new ShiftedTime(DeltaVacuum.UncommittedGrace + TimeSpan.FromMinutes(1))).VacuumAsync(TimeSpan.Zero, false, CancellationToken.None);
        Assert.Equal([orphan], later.Deleted);
        Assert.True(await table.Store.ExistsAsync(hidden, CancellationToken.None));
        Assert.True(await table.Store.ExistsAsync(table.DataKey(file.Path), CancellationToken.None));
        var after = (await new DeltaTable(table.Store, table.Root).LoadAsync(null, CancellationToken.None))!;
        Assert.Equal(5, after.Version);
        Assert.Equal(rowsBefore, await LakeFiles.ReadAsync(table, after));

        var history = await new DeltaHistory(table).ListAsync(null, CancellationToken.None);
        Assert.Equal([5L, 4, 3, 2, 1, 0], history.Select(h => h.Version));
        Assert.Equal(("OPTIMIZE", 1, 5, 25L), (history[0].Operation, history[0].FilesAdded, history[0].FilesRemoved, history[0].RowsAdded));
        Assert.All(history.Skip(1), h => Assert.Equal(("WRITE", 1, 0), (h.Operation, h.FilesAdded, h.FilesRemoved)));
        Assert.Equal([7L, 6, 5, 4, 3], history.Skip(1).Select(h => h.RowsAdded));
        Assert.Contains("part-0.csv", history[^1].Parameters["source"], StringComparison.Ordinal);
        Assert.Equal([5L, 4], (await new DeltaHistory(table).ListAsync(2, CancellationToken.None)).Select(h => h.Version));
    }

    [Fact]
    public async Task Compaction_bins_files_by_the_target_size_and_leaves_large_files_alone()
    {
        var table = new DeltaTable(Store("s3", $"lake-maint-{Guid.NewGuid():N}"[..32]), "raw_comments");
        for (var i = 0; i < 4; i++)
        {
            await LakeFiles.AppendAsync(table, new ObjectRef("s3", "raw", $"small-{i}.csv", "v1", 1), 4);
        }

        var before = (await table.LoadAsync(null, CancellationToken.None))!;
        var size = before.Files.Values.Max(f => f.Size);

        // A target of about two files: two bins of two.
        var result = await new DeltaCompaction(table, TimeProvider.System).CompactAsync(2 * size, CancellationToken.None);

        Assert.Equal((4, 2, 16L), (result.FilesRemoved, result.FilesAdded, result.Rows));
        var after = (await table.LoadAsync(null, CancellationToken.None))!;
        Assert.Equal(2, after.Files.Count);
        Assert.Equal(await LakeFiles.ReadAsync(table, before), await LakeFiles.ReadAsync(table, after));

        // Files at or above the target are not rewritten.
        Assert.Null((await new DeltaCompaction(table, TimeProvider.System).CompactAsync(size, CancellationToken.None)).Version);
    }

    [Fact]
    public async Task Maintenance_of_a_location_without_a_table_is_refused()
    {
        var table = new DeltaTable(Store("s3", $"lake-maint-{Guid.NewGuid():N}"[..32]), "nothing");
        await Assert.ThrowsAsync<InvalidDataException>(() => new DeltaCompaction(table, TimeProvider.System).CompactAsync(1 << 20, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidDataException>(() => new DeltaVacuum(table, TimeProvider.System).VacuumAsync(TimeSpan.Zero, false, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidDataException>(() => new DeltaHistory(table).ListAsync(null, CancellationToken.None));
    }

    [Fact]
    public void Merged_statistics_take_the_extremes_and_sums_and_drop_what_an_input_lacks()
    {
        DeltaAddFile File(string stats) => new("f", new Dictionary<string, string>(), 1, 0, true, stats);
        var merged = DeltaCompaction.MergeStats(
            [
                File("""{"numRecords":2,"minValues":{"a":5,"t":"2026-01-02T00:00:00.000Z","s":"b"},"maxValues":{"a":9,"t":"2026-01-03T00:00:00Z","s":"x"},"nullCount":{"a":1,"s":0}}"""),
                File("""{"numRecords":3,"minValues":{"a":-1,"t":"2026-01-01T12:00:00Z"},"maxValues":{"a":10.5,"t":"2026-01-03T00:00:00.5Z","s":"y"},"nullCount":{"a":2,"s":1}}"""),
            ],
            5);
        Assert.Equal(
            """{"numRecords":5,"minValues":{"a":-1,"t":"2026-01-01T12:00:00Z"},"maxValues":{"a":10.5,"t":"2026-01-03T00:00:00.5Z","s":"y"},"nullCount":{"a":3,"s":1}}""",
            merged);
        Assert.Equal("""{"numRecords":5}""", DeltaCompaction.MergeStats([File("""{"numRecords":5}"""), new("g", new Dictionary<string, string>(), 1, 0, true, null)], 5));
    }

    /// <summary>The system clock moved ahead by <paramref name="shift"/>.</summary>
    private sealed class ShiftedTime(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }
}
