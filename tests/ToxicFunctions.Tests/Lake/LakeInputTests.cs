using Amazon.S3;
using Microsoft.Extensions.DependencyInjection;
using ParquetSharp;
using ToxicFunctions.Ingestion;
using ToxicFunctions.Lake;
using ToxicFunctions.Pipeline;
using ToxicFunctions.Storage;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Lake;

/// <summary>
/// Parquet objects and Delta tables as batch input: a table laid out as the original project's Spark job wrote its lake
/// (Parquet files with comment_text and labels, and a _delta_log written here by hand following the protocol) loads
/// exactly its live files' rows; a Parquet object with bad rows loads the good ones and rejects the rest by row number.
/// </summary>
public sealed class LakeInputTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private async Task<List<(long Line, string Text, short Label)>> StagedAsync(long loadId)
    {
        var rows = new List<(long, string, short)>();
        await using var command = database.DataSource.CreateCommand("SELECT line_number, comment_text, labels FROM staging.comments WHERE load_id = @id ORDER BY line_number");
        command.Parameters.AddWithValue("id", loadId);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt16(2)));
        }

        return rows;
    }

    [Fact]
    public async Task A_parquet_object_loads_its_good_rows_and_rejects_the_others_by_row_number()
    {
        var path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.parquet");
        try
        {
            WriteSparkFile(path, ["fine", null, "also fine", "bad label"], [0L, 1L, 1L, 2L]);
            await using var obj = new RawObject(new ObjectRef("file", "tests", Path.GetFileName(path), "v1", new FileInfo(path).Length), File.OpenRead(path));

            var result = await database.Get<BatchIngestService>().IngestAsync(obj);

            Assert.Equal((IngestOutcome.Loaded, 2L, 2L), (result.Outcome, result.RowsLoaded, result.RowsRejected));
            Assert.Equal([(1L, "fine", (short)0), (3L, "also fine", (short)1)], await StagedAsync(result.LoadId));
            var reasons = new List<string>();
            await using var command = database.DataSource.CreateCommand("SELECT reason FROM staging.rejected_records WHERE load_id = @id ORDER BY line_number");
            command.Parameters.AddWithValue("id", result.LoadId);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                reasons.Add(reader.GetString(0));
            }

            Assert.Equal(["row 2: comment_text is null", "row 4: labels must be 0 or 1, not 2"], reasons);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_file_that_is_not_parquet_or_lacks_the_columns_fails_as_a_whole_with_the_reason()
    {
        var path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.parquet");
        try
        {
            using (var writer = new ParquetFileWriter(path, [new Column<string>("text", LogicalType.String())]))
            {
                using var group = writer.AppendRowGroup();
                using var column = group.NextColumn().LogicalWriter<string>();
                column.WriteBatch(["no labels here"]);
                writer.Close();
            }

            await using var obj = new RawObject(new ObjectRef("file", "tests", Path.GetFileName(path), "v1", new FileInfo(path).Length), File.OpenRead(path));
            var result = await database.Get<BatchIngestService>().IngestAsync(obj);

            Assert.Equal(IngestOutcome.Failed, result.Outcome);
            Assert.Contains("no column comment_text (it has text)", result.Reason, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_delta_table_as_the_original_project_wrote_it_loads_the_rows_of_its_live_files()
    {
        var bucket = $"lake-input-{Guid.NewGuid():N}"[..30];
        var store = new S3ArtifactStore(database.Get<IAmazonS3>(), bucket);
        const string root = "warehouse/comments/";
        var temp = Directory.CreateTempSubdirectory("toxic-spark-table-");
        try
        {
            // Spark's layout: part files with comment_text and labels; one written with int64 labels, one with int32.
            var files = new[] { "part-00000-a.c000.snappy.parquet", "part-00001-b.c000.snappy.parquet", "part-00000-old.c000.snappy.parquet" };
            WriteSparkFile(Path.Combine(temp.FullName, files[0]), ["first a", "second a"], [0L, 1L]);
            WriteSparkFile(Path.Combine(temp.FullName, files[1]), ["first b", "second b", "third b"], [1, 0, 0]);
            WriteSparkFile(Path.Combine(temp.FullName, files[2]), ["replaced"], [1L]);
            foreach (var file in files)
            {
                await store.PutFileAsync(root + file, Path.Combine(temp.FullName, file), "application/octet-stream", CancellationToken.None);
            }

            long Size(string file) => new FileInfo(Path.Combine(temp.FullName, file)).Length;
            const string schema = """{"type":"struct","fields":[{"name":"comment_text","type":"string","nullable":true,"metadata":{}},{"name":"labels","type":"long","nullable":true,"metadata":{}}]}""";
            var commit0 =
                """{"commitInfo":{"timestamp":1700000000000,"operation":"WRITE","operationParameters":{"mode":"ErrorIfExists","partitionBy":"[]"},"isolationLevel":"Serializable","isBlindAppend":true,"engineInfo":"Apache-Spark/3.5.0 Delta-Lake/3.1.0"}}""" + "\n"
                + """{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}""" + "\n"
                + $$$"""{"metaData":{"id":"5d4a5b70-1b0c-4c3e-9b0e-2a8f0c7d6e11","format":{"provider":"parquet","options":{}},"schemaString":{{{System.Text.Json.JsonSerializer.Serialize(schema)}}},"partitionColumns":[],"configuration":{},"createdTime":1700000000000}}""" + "\n"
                + $$$"""{"add":{"path":"{{{files[0]}}}","partitionValues":{},"size":{{{Size(files[0])}}},"modificationTime":1700000000001,"dataChange":true,"stats":"{\"numRecords\":2}"}}""" + "\n"
                + $$$"""{"add":{"path":"{{{files[2]}}}","partitionValues":{},"size":{{{Size(files[2])}}},"modificationTime":1700000000002,"dataChange":true}}""" + "\n";
            var commit1 =
                $$$"""{"add":{"path":"{{{files[1]}}}","partitionValues":{},"size":{{{Size(files[1])}}},"modificationTime":1700000000003,"dataChange":true}}""" + "\n"
                + $$$"""{"remove":{"path":"{{{files[2]}}}","deletionTimestamp":1700000000004,"dataChange":true,"extendedFileMetadata":true,"partitionValues":{},"size":{{{Size(files[2])}}}}}""" + "\n";
            Assert.True(await store.TryCreateTextAsync(DeltaLog.CommitKey(root, 0), commit0, DeltaLog.ContentType, CancellationToken.None));
            Assert.True(await store.TryCreateTextAsync(DeltaLog.CommitKey(root, 1), commit1, DeltaLog.ContentType, CancellationToken.None));

            var tableIngest = database.Get<DeltaTableIngest>();
            var results = await tableIngest.IngestAsync($"s3://{bucket}/{root}", CancellationToken.None);

            Assert.Equal([$"{root}{files[0]}", $"{root}{files[1]}"], results.Select(r => r.Object.Key));
            Assert.All(results, r => Assert.Equal(IngestOutcome.Loaded, r.Outcome));
            Assert.Equal([(1L, "first a", (short)0), (2L, "second a", (short)1)], await StagedAsync(results[0].LoadId));
            Assert.Equal([(1L, "first b", (short)1), (2L, "second b", (short)0), (3L, "third b", (short)0)], await StagedAsync(results[1].LoadId));

            // Again: every file is already taken, nothing is added.
            var again = await tableIngest.IngestAsync($"s3://{bucket}/{root}", CancellationToken.None);
            Assert.All(again, r => Assert.Equal(IngestOutcome.AlreadyLoaded, r.Outcome));
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_location_without_a_delta_log_is_refused()
    {
        var bucket = $"lake-input-{Guid.NewGuid():N}"[..30];
        var error = await Assert.ThrowsAsync<InvalidDataException>(
            () => database.Get<DeltaTableIngest>().IngestAsync($"s3://{bucket}/nothing/", CancellationToken.None));
        Assert.Contains("is not a Delta table", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A Parquet file as Spark writes one: optional comment_text (string) and optional labels (int64 or int32).</summary>
    private static void WriteSparkFile<TLabel>(string path, string?[] texts, TLabel[] labels)
        where TLabel : struct
    {
        using var writer = new ParquetFileWriter(path, [new Column<string>("comment_text", LogicalType.String()), new Column<TLabel?>("labels")], Compression.Snappy);
        using (var group = writer.AppendRowGroup())
        {
            using (var text = group.NextColumn().LogicalWriter<string?>())
            {
                text.WriteBatch(texts);
            }

            using var label = group.NextColumn().LogicalWriter<TLabel?>();
            label.WriteBatch([.. labels.Select(l => (TLabel?)l)]);
        }

        writer.Close();
    }
}
