using System.Text.Json;
using DuckDB.NET.Data;
using ParquetSharp;
using ParquetSharp.Schema;
using ToxicFunctions.Csv;
using ToxicFunctions.Lake;
using ToxicFunctions.Pipeline;
using ToxicFunctions.Storage;
using ToxicFunctions.Tests.Infrastructure;
using ToxicFunctions.Tests.Pipeline;

namespace ToxicFunctions.Tests.Lake;

/// <summary>
/// Checkpoints on the real stores: every 10th commit writes <c>N.checkpoint.parquet</c> and <c>_last_checkpoint</c>;
/// a new reader loads from the checkpoint the same table that a replay of every commit gives, also once the commits
/// before it are deleted; DuckDB reads the checkpoint's nested columns as the protocol lays them out; a checkpoint with
/// columns this reader does not know still reads; a checkpoint that cannot be written fails no commit.
/// </summary>
public sealed class DeltaCheckpointTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    public static TheoryData<string> Stores => ["s3", "blob"];

    private IArtifactStore Store(string kind) => LakeFiles.Store(database, kind, $"lake-ckpt-{Guid.NewGuid():N}"[..32]);

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Every_tenth_commit_writes_a_checkpoint_that_a_new_reader_loads_as_the_replay_does(string kind)
    {
        var table = new DeltaTable(Store(kind), "raw_comments");
        await AppendAsync(table, 25);
        // A compaction at 25 leaves tombstones, which the checkpoint at 30 must carry.
        await new DeltaCompaction(table, TimeProvider.System).CompactAsync(DeltaCompaction.DefaultTargetFileBytes, CancellationToken.None);
        await AppendAsync(table, 5, from: 25);

        var keys = await table.Store.ListAsync(DeltaLog.FolderKey(table.Root), CancellationToken.None);
        Assert.Equal([10L, 20, 30], keys.Select(DeltaCheckpoint.Version).OfType<long>().Order());
        var last = JsonSerializer.Deserialize<DeltaLastCheckpoint>(await table.Store.GetTextAsync(DeltaCheckpoint.LastCheckpointKey(table.Root), CancellationToken.None))!;
        Assert.Equal(30, last.Version);
        Assert.Equal(6, last.NumOfAddFiles); // the compacted file and the 5 appended after it
        Assert.Equal(2 + 30 + 6 + 25, last.Size); // protocol, metaData, 30 txn, 6 add, 25 remove

        var replayed = await ReplayAsync(table.Store, table.Root, 30);
        AssertSame(replayed, (await new DeltaTable(table.Store, table.Root).LoadAsync(null, CancellationToken.None))!);
        AssertSame(await ReplayAsync(table.Store, table.Root, 15), (await new DeltaTable(table.Store, table.Root).LoadAsync(15, CancellationToken.None))!);

        // Log clean-up (as Spark's) deletes the commits before a checkpoint: versions from it on still load.
        for (var v = 0; v < 20; v++)
        {
            await table.Store.DeleteAsync(DeltaLog.CommitKey(table.Root, v), CancellationToken.None);
        }

        var fresh = new DeltaTable(table.Store, table.Root);
        AssertSame(replayed, (await fresh.LoadAsync(30, CancellationToken.None))!);
        Assert.Equal(25, (await fresh.LoadAsync(25, CancellationToken.None))!.Version);
        await Assert.ThrowsAsync<InvalidDataException>(() => new DeltaTable(table.Store, table.Root).LoadAsync(15, CancellationToken.None));
        var rows = await LakeFiles.ReadAsync(table, (await fresh.LoadAsync(null, CancellationToken.None))!);
        Assert.Equal(30 * 2, rows.Count);
    }

    [Fact]
    public async Task DuckDB_reads_the_checkpoints_nested_columns_as_the_protocol_lays_them_out()
    {
        var table = new DeltaTable(Store("s3"), "raw_comments");
        await AppendAsync(table, 11);
        var snapshot = (await new DeltaTable(table.Store, table.Root).LoadAsync(10, CancellationToken.None))!;
        var local = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.checkpoint.parquet");
        try
        {
            await table.Store.GetFileAsync(DeltaCheckpoint.Key(table.Root, 10), local, CancellationToken.None);
            using var connection = new DuckDBConnection("Data Source=:memory:");
            connection.Open();
            List<string?> Query(string sql)
            {
                using var command = connection.CreateCommand();
                command.CommandText = sql.Replace("$file", $"'{local}'", StringComparison.Ordinal);
                using var reader = command.ExecuteReader();
                var values = new List<string?>();
                while (reader.Read())
                {
                    values.Add(reader.IsDBNull(0) ? null : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
                }

                return values;
            }

            Assert.Equal(snapshot.Files.Keys.Order(StringComparer.Ordinal), Query("SELECT add.path FROM read_parquet($file) WHERE add IS NOT NULL ORDER BY add.path"));
            Assert.Equal(snapshot.Files.Values.Select(f => f.Stats).Order(StringComparer.Ordinal), Query("SELECT add.stats FROM read_parquet($file) WHERE add IS NOT NULL ORDER BY add.stats"));
            Assert.Equal(["0"], Query("SELECT cardinality(add.partitionValues) FROM read_parquet($file) WHERE add IS NOT NULL").Distinct());
            Assert.Equal(["1|2"], Query("SELECT protocol.minReaderVersion || '|' || protocol.minWriterVersion FROM read_parquet($file) WHERE protocol IS NOT NULL"));
            Assert.Equal([RawCommentsTable.SchemaString], Query("SELECT metaData.schemaString FROM read_parquet($file) WHERE metaData IS NOT NULL"));
            Assert.Equal(["parquet"], Query("SELECT metaData.format.provider FROM read_parquet($file) WHERE metaData IS NOT NULL"));
            Assert.Equal(["0"], Query("SELECT len(metaData.partitionColumns) FROM read_parquet($file) WHERE metaData IS NOT NULL"));
            Assert.Equal(snapshot.Transactions.Keys.Order(StringComparer.Ordinal), Query("SELECT txn.appId FROM read_parquet($file) WHERE txn IS NOT NULL ORDER BY txn.appId"));
            Assert.Equal(["1"], Query("SELECT DISTINCT txn.version FROM read_parquet($file) WHERE txn IS NOT NULL"));
            // Exactly one action per row.
            Assert.Equal(["0"], Query("SELECT count(*) FROM read_parquet($file) WHERE (txn IS NOT NULL)::int + (add IS NOT NULL)::int + (remove IS NOT NULL)::int + (metaData IS NOT NULL)::int + (protocol IS NOT NULL)::int <> 1"));
        }
        finally
        {
            File.Delete(local);
        }
    }

    [Fact]
    public async Task A_checkpoint_with_columns_this_reader_does_not_know_and_partition_values_reads()
    {
        var store = Store("s3");
        var root = "spark_table/";
        // A checkpoint as a newer Spark writes it: extra columns (add.tags set, add.stats_parsed, commitInfo), maps with
        // entries, a list with an element, and no txn column at all.
        var local = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.parquet");
        try
        {
            WriteSparkCheckpoint(local);
            await store.PutFileAsync(DeltaCheckpoint.Key(root, 7), local, "application/octet-stream", CancellationToken.None);
        }
        finally
        {
            File.Delete(local);
        }

        var snapshot = (await new DeltaTable(store, root).LoadAsync(null, CancellationToken.None))!;

        Assert.Equal(7, snapshot.Version);
        Assert.Equal(new DeltaProtocol(1, 2), snapshot.Protocol);
        Assert.Equal("table-id", snapshot.Metadata!.Id);
        Assert.Equal(["day"], snapshot.Metadata.PartitionColumns);
        Assert.Equal("true", snapshot.Metadata.Configuration["delta.appendOnly"]);
        var add = Assert.Single(snapshot.Files.Values);
        Assert.Equal(("day=1/part-0.parquet", 123L, "1"), (add.Path, add.Size, add.PartitionValues["day"]));
        Assert.Empty(snapshot.Transactions);
    }

    [Fact]
    public async Task A_checkpoint_that_DuckDB_writes_with_the_columns_spark_and_delta_rs_add_reads()
    {
        var store = Store("s3");
        var folder = Directory.CreateTempSubdirectory("toxic-checkpoint-");
        try
        {
            // Written by DuckDB: a top-level commitInfo, no remove column at all, add with tags, deletionVector,
            // baseRowId and stats_parsed, protocol with writerFeatures, each action in a row of its own.
            var file = Path.Combine(folder.FullName, "foreign.parquet");
            using (var connection = new DuckDBConnection("Data Source=:memory:"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = $$"""
                    CREATE TABLE cp (
                      commitInfo STRUCT("timestamp" BIGINT, operation VARCHAR),
                      protocol STRUCT(minReaderVersion INTEGER, minWriterVersion INTEGER, writerFeatures VARCHAR[]),
                      metaData STRUCT(id VARCHAR, "name" VARCHAR, description VARCHAR, format STRUCT(provider VARCHAR, options MAP(VARCHAR, VARCHAR)),
                        schemaString VARCHAR, partitionColumns VARCHAR[], configuration MAP(VARCHAR, VARCHAR), createdTime BIGINT),
                      add STRUCT(path VARCHAR, partitionValues MAP(VARCHAR, VARCHAR), size BIGINT, modificationTime BIGINT, dataChange BOOLEAN,
                        stats VARCHAR, tags MAP(VARCHAR, VARCHAR),
                        deletionVector STRUCT(storageType VARCHAR, pathOrInlineDv VARCHAR, "offset" INTEGER, sizeInBytes INTEGER, cardinality BIGINT),
                        baseRowId BIGINT, defaultRowCommitVersion BIGINT, stats_parsed STRUCT(numRecords BIGINT)),
                      txn STRUCT(appId VARCHAR, "version" BIGINT, lastUpdated BIGINT));
                    INSERT INTO cp (commitInfo) VALUES ({'timestamp': 1700000000000, 'operation': 'WRITE'});
                    INSERT INTO cp (protocol) VALUES ({'minReaderVersion': 1, 'minWriterVersion': 7, 'writerFeatures': ['appendOnly', 'invariants']});
                    INSERT INTO cp (metaData) VALUES ({'id': 'table-1', 'name': NULL, 'description': NULL,
                      'format': {'provider': 'parquet', 'options': MAP {}::MAP(VARCHAR, VARCHAR)}, 'schemaString': '{"type":"struct","fields":[]}',
                      'partitionColumns': []::VARCHAR[], 'configuration': MAP {'delta.appendOnly': 'true'}, 'createdTime': NULL});
                    INSERT INTO cp (add) VALUES ({'path': 'a%20b.parquet', 'partitionValues': MAP {}::MAP(VARCHAR, VARCHAR), 'size': 10,
                      'modificationTime': 1700000000001, 'dataChange': true, 'stats': '{"numRecords":3}', 'tags': MAP {'INSERTION_TIME': '1700000000001', 'ZCUBE_ID': 'x'},
                      'deletionVector': NULL, 'baseRowId': 4, 'defaultRowCommitVersion': 1, 'stats_parsed': {'numRecords': 3} });
                    INSERT INTO cp (add) VALUES ({'path': 'c.parquet', 'partitionValues': NULL, 'size': 20,
                      'modificationTime': 1700000000002, 'dataChange': false, 'stats': NULL, 'tags': NULL,
                      'deletionVector': NULL, 'baseRowId': NULL, 'defaultRowCommitVersion': NULL, 'stats_parsed': NULL});
                    INSERT INTO cp (txn) VALUES ({'appId': 'spark-app', 'version': 42, 'lastUpdated': NULL});
                    COPY cp TO '{{file.Replace("'", "''", StringComparison.Ordinal)}}' (FORMAT parquet);
                    """;
                command.ExecuteNonQuery();
            }

            // The log starts at the checkpoint (cleaned up before it), without _last_checkpoint; commit 8 follows.
            await store.PutFileAsync(DeltaCheckpoint.Key("duckdb_table/", 7), file, "application/vnd.apache.parquet", CancellationToken.None);
            await store.PutTextAsync(
                DeltaLog.CommitKey("duckdb_table/", 8),
                DeltaLog.Serialize([new DeltaAction { Add = new DeltaAddFile("part-00008.parquet", new Dictionary<string, string>(), 1, 0, true, null) }]),
                DeltaLog.ContentType,
                CancellationToken.None);

            var snapshot = (await new DeltaTable(store, "duckdb_table/").LoadAsync(null, CancellationToken.None))!;
            Assert.Equal(8, snapshot.Version);
            Assert.Equal(new DeltaProtocol(1, 7), snapshot.Protocol);
            Assert.Equal(("table-1", "parquet", "{\"type\":\"struct\",\"fields\":[]}", "true", null), (snapshot.Metadata!.Id, snapshot.Metadata.Format.Provider, snapshot.Metadata.SchemaString, snapshot.Metadata.Configuration["delta.appendOnly"], snapshot.Metadata.CreatedTime));
            Assert.Empty(snapshot.Metadata.PartitionColumns);
            Assert.Equal(["a%20b.parquet", "c.parquet", "part-00008.parquet"], snapshot.Files.Keys.Order(StringComparer.Ordinal));
            Assert.Equal((10L, 1700000000001L, true, "{\"numRecords\":3}"), (snapshot.Files["a%20b.parquet"].Size, snapshot.Files["a%20b.parquet"].ModificationTime, snapshot.Files["a%20b.parquet"].DataChange, snapshot.Files["a%20b.parquet"].Stats));
            Assert.Equal((20L, false, (string?)null, 0), (snapshot.Files["c.parquet"].Size, snapshot.Files["c.parquet"].DataChange, snapshot.Files["c.parquet"].Stats, snapshot.Files["c.parquet"].PartitionValues.Count));
            Assert.Empty(snapshot.Tombstones);
            Assert.Equal(42L, snapshot.Transactions["spark-app"]);
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => new DeltaTable(store, "duckdb_table/").LoadAsync(9, CancellationToken.None));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_checkpoint_that_cannot_be_written_fails_no_commit()
    {
        var inner = Store("s3");
        var store = new FlakyArtifactStore(inner, failures: 0, refuses: key => key.EndsWith(".checkpoint.parquet", StringComparison.Ordinal));
        var table = new DeltaTable(store, "raw_comments");

        await AppendAsync(table, 12);

        var keys = await inner.ListAsync("raw_comments/_delta_log/", CancellationToken.None);
        Assert.Empty(keys.Select(DeltaCheckpoint.Version).OfType<long>());
        Assert.Equal(11, (await new DeltaTable(inner, "raw_comments").LoadAsync(null, CancellationToken.None))!.Version);
    }

    private static async Task AppendAsync(DeltaTable table, int count, int from = 0)
    {
        for (var i = from; i < from + count; i++)
        {
            await using var append = new RawCommentsAppend(table, new ObjectRef("s3", "raw", $"part-{i:D3}.csv", "v1", 1), TimeProvider.System);
            await append.AddAsync([new CommentRecord(2, $"comment {i} a", 0), new CommentRecord(3, $"comment {i} b", 1)], CancellationToken.None);
            await append.CommitAsync(CancellationToken.None);
        }
    }

    /// <summary>The table at <paramref name="version"/> from the JSON commits alone.</summary>
    private static async Task<DeltaSnapshot> ReplayAsync(IArtifactStore store, string root, long version)
    {
        var snapshot = new DeltaSnapshot();
        for (var v = 0L; v <= version; v++)
        {
            var key = DeltaLog.CommitKey(root, v);
            snapshot.Apply(v, DeltaLog.Parse(await store.GetTextAsync(key, CancellationToken.None), key));
        }

        return snapshot;
    }

    private static void AssertSame(DeltaSnapshot expected, DeltaSnapshot actual)
    {
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.Protocol, actual.Protocol);
        Assert.Equal(expected.Metadata!.Id, actual.Metadata!.Id);
        Assert.Equal(expected.Metadata.SchemaString, actual.Metadata.SchemaString);
        Assert.Equal(expected.Metadata.CreatedTime, actual.Metadata.CreatedTime);
        Assert.Equal(expected.Metadata.PartitionColumns, actual.Metadata.PartitionColumns);
        Assert.Equal(expected.Metadata.Configuration, actual.Metadata.Configuration);
        Assert.Equal(expected.Transactions.OrderBy(t => t.Key), actual.Transactions.OrderBy(t => t.Key));
        Assert.Equal(expected.Files.Keys.Order(), actual.Files.Keys.Order());
        foreach (var (path, add) in expected.Files)
        {
            var other = actual.Files[path];
            Assert.Equal((add.Size, add.ModificationTime, add.DataChange, add.Stats), (other.Size, other.ModificationTime, other.DataChange, other.Stats));
            Assert.Equal(add.PartitionValues, other.PartitionValues);
        }

        Assert.Equal(expected.Tombstones.Keys.Order(), actual.Tombstones.Keys.Order());
        foreach (var (path, remove) in expected.Tombstones)
        {
            var other = actual.Tombstones[path];
            Assert.Equal((remove.DeletionTimestamp, remove.DataChange, remove.Size), (other.DeletionTimestamp, other.DataChange, other.Size));
        }
    }

    // Written with ParquetSharp's nested logical types (not the production writer's level encoding): protocol, metaData
    // and one add, plus columns the reader must skip.
    private static void WriteSparkCheckpoint(string path)
    {
        static PrimitiveNode Text(string name) => new(name, Repetition.Optional, LogicalType.String(), PhysicalType.ByteArray);
        static PrimitiveNode Long(string name) => new(name, Repetition.Optional, LogicalType.None(), PhysicalType.Int64);
        static GroupNode Map(string name) => new(
            name, Repetition.Optional,
            [new GroupNode("key_value", Repetition.Repeated, [new PrimitiveNode("key", Repetition.Required, LogicalType.String(), PhysicalType.ByteArray), Text("value")], null)],
            LogicalType.Map());
        using var schema = new GroupNode(
            "spark_schema",
            Repetition.Required,
            [
                new GroupNode("add", Repetition.Optional, [Text("path"), Map("partitionValues"), Long("size"), Long("modificationTime"), new PrimitiveNode("dataChange", Repetition.Optional, LogicalType.None(), PhysicalType.Boolean), Text("stats"), Map("tags"), new GroupNode("stats_parsed", Repetition.Optional, [Long("numRecords")], null)], null),
                new GroupNode("metaData", Repetition.Optional, [Text("id"), new GroupNode("format", Repetition.Optional, [Text("provider"), Map("options")], null), Text("schemaString"), new GroupNode("partitionColumns", Repetition.Optional, [new GroupNode("list", Repetition.Repeated, [Text("element")], null)], LogicalType.List()), Map("configuration"), Long("createdTime")], null),
                new GroupNode("protocol", Repetition.Optional, [new PrimitiveNode("minReaderVersion", Repetition.Optional, LogicalType.None(), PhysicalType.Int32), new PrimitiveNode("minWriterVersion", Repetition.Optional, LogicalType.None(), PhysicalType.Int32)], null),
                new GroupNode("commitInfo", Repetition.Optional, [Text("operation")], null),
            ],
            null);
        using var properties = new WriterPropertiesBuilder().Compression(Compression.Snappy).Build();
        using var file = new ParquetFileWriter(path, schema, properties);
        using var group = file.AppendRowGroup();
        using var buffer = new ByteBuffer(1024);
        ByteArray Bytes(string s)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(s);
            var array = buffer.Allocate(bytes.Length);
            System.Runtime.InteropServices.Marshal.Copy(bytes, 0, array.Pointer, bytes.Length);
            return array;
        }

        // Rows: 0 add, 1 metaData, 2 protocol. Levels per leaf, in schema order.
        void Strings(short[] def, short[] rep, params string[] values)
        {
            using var w = (ColumnWriter<ByteArray>)group.NextColumn();
            w.WriteBatch(def.Length, def, rep, values.Select(Bytes).ToArray());
        }

        void Longs(short[] def, params long[] values)
        {
            using var w = (ColumnWriter<long>)group.NextColumn();
            w.WriteBatch(def.Length, def, new short[def.Length], values);
        }

        short[] none = [0, 0, 0];
        Strings([2, 0, 0], none, "day=1/part-0.parquet"); // add.path
        Strings([3, 0, 0], none, "day"); // add.partitionValues key
        Strings([4, 0, 0], none, "1"); // add.partitionValues value
        Longs([2, 0, 0], 123); // add.size
        Longs([2, 0, 0], 1_700_000_000_000); // add.modificationTime
        using (var w = (ColumnWriter<bool>)group.NextColumn())
        {
            w.WriteBatch(3, [2, 0, 0], none, [false]); // add.dataChange
        }

        Strings([2, 0, 0], none, """{"numRecords":1}"""); // add.stats
        Strings([3, 3, 0, 0], [0, 1, 0, 0], "tag1", "tag2"); // add.tags keys: two entries
        Strings([4, 3, 0, 0], [0, 1, 0, 0], "v1"); // add.tags values: one set, one null
        Longs([2, 0, 0], 1); // add.stats_parsed.numRecords
        Strings([0, 2, 0], none, "table-id"); // metaData.id
        Strings([0, 3, 0], none, "parquet"); // metaData.format.provider
        Strings([0, 3, 0], none); // metaData.format.options key: empty map
        Strings([0, 3, 0], none); // metaData.format.options value
        Strings([0, 2, 0], none, RawCommentsTable.SchemaString); // metaData.schemaString
        Strings([0, 4, 0], none, "day"); // metaData.partitionColumns element
        Strings([0, 3, 0], none, "delta.appendOnly"); // metaData.configuration key
        Strings([0, 4, 0], none, "true"); // metaData.configuration value
        Longs([0, 2, 0], 1_700_000_000_000); // metaData.createdTime
        foreach (var version in new[] { 1, 2 })
        {
            using var w = (ColumnWriter<int>)group.NextColumn();
            w.WriteBatch(3, [0, 0, 2], none, [version]); // protocol.minReaderVersion, minWriterVersion
        }

        Strings([0, 0, 0], none); // commitInfo.operation
        file.Close();
    }
}
