using Amazon.S3;
using Azure.Storage.Blobs;
using DuckDB.NET.Data;
using ToxicFunctions.Csv;
using ToxicFunctions.Lake;
using ToxicFunctions.Pipeline;
using ToxicFunctions.Storage;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Lake;

/// <summary>
/// Reads a Delta table's rows as an independent reader would: the live files its log lists at a version, downloaded and
/// read with DuckDB's Parquet reader (read_parquet), not with the library that wrote them.
/// </summary>
internal static class LakeFiles
{
    /// <summary>One row of the raw comments table.</summary>
    public sealed record Row(string CommentText, int? Labels, string SourceStore, string SourceKey, string? SourceVersion, long LineNumber, DateTime IngestedAt);

    /// <summary>The rows of <paramref name="snapshot"/>'s live files, ordered by source key and line.</summary>
    public static async Task<List<Row>> ReadAsync(DeltaTable table, DeltaSnapshot snapshot)
    {
        var folder = Directory.CreateTempSubdirectory("toxic-lake-");
        try
        {
            foreach (var path in snapshot.Files.Keys)
            {
                await table.Store.GetFileAsync(table.DataKey(path), Path.Combine(folder.FullName, Uri.UnescapeDataString(path)), CancellationToken.None);
            }

            if (snapshot.Files.Count == 0)
            {
                return [];
            }

            using var connection = new DuckDBConnection("Data Source=:memory:");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText =
                "SELECT comment_text, labels, source_store, source_key, source_version, line_number, ingested_at "
                + "FROM read_parquet($files) ORDER BY source_key, line_number";
            command.Parameters.Add(new DuckDBParameter("files", Path.Combine(folder.FullName, "*.parquet")));
            using var reader = command.ExecuteReader();
            var rows = new List<Row>();
            while (reader.Read())
            {
                rows.Add(new Row(
                    reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt32(1), reader.GetString(2), reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetInt64(5), reader.GetDateTime(6)));
            }

            return rows;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The artifact store of <paramref name="bucket"/> on radosgw (<c>s3</c>) or Azurite (<c>blob</c>).</summary>
    public static IArtifactStore Store(TestDatabase database, string kind, string bucket) => kind == "s3"
        ? new S3ArtifactStore(database.Get<IAmazonS3>(), bucket)
        : new BlobArtifactStore(new BlobServiceClient(TestSettings.Configuration["RawStorage"]), bucket);

    /// <summary>Appends <paramref name="rows"/> comments of <paramref name="source"/> (lines from 2, labels 0, 1, ...) and commits them.</summary>
    /// <returns>The committed version, or null when the table already holds the source.</returns>
    public static async Task<long?> AppendAsync(DeltaTable table, ObjectRef source, int rows)
    {
        await using var append = new RawCommentsAppend(table, source, TimeProvider.System);
        await append.AddAsync([.. Enumerable.Range(0, rows).Select(i => new CommentRecord(i + 2, $"{source.Key} comment {i}", (short)(i % 2)))], CancellationToken.None);
        return await append.CommitAsync(CancellationToken.None);
    }
}
