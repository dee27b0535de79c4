using Npgsql;
using NpgsqlTypes;

namespace ToxicFunctions.Tests.Infrastructure;

/// <summary>Writes staging rows with plain SQL, as ingestion and the CDC consumer leave them.</summary>
internal static class StagingRows
{
    /// <summary>[CLS], n - 2 word ids, [SEP].</summary>
    public static int[] Tokens(int length) => [101, .. Enumerable.Range(2000, length - 2), 102];

    public static async Task<long> AddLoadAsync(TestDatabase database, string status = "loaded")
    {
        await using var command = database.DataSource.CreateCommand(
            "INSERT INTO staging.loads (store, container, object_key, object_version, status) VALUES ('file', 'tests', $1, 'v', $2) RETURNING load_id");
        command.Parameters.Add(new NpgsqlParameter { Value = Guid.NewGuid().ToString() });
        command.Parameters.Add(new NpgsqlParameter { Value = status });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public static async Task AddBatchAsync(TestDatabase database, long loadId, long line, Guid id, string? text, short? labels, int[]? inputIds)
    {
        await using var command = database.DataSource.CreateCommand(
            "INSERT INTO staging.comments (load_id, line_number, id, comment_text, labels, input_ids) VALUES ($1, $2, $3, $4, $5, $6)");
        command.Parameters.Add(new NpgsqlParameter { Value = loadId });
        command.Parameters.Add(new NpgsqlParameter { Value = line });
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)text ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)labels ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Smallint });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)inputIds ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Upserts a stream row the way the CDC consumer keeps the latest state; <paramref name="text"/> null makes a tombstone.</summary>
    public static async Task PutStreamAsync(TestDatabase database, Guid sourceId, string? text, short labels, string lsn)
    {
        await using var command = database.DataSource.CreateCommand(
            """
            INSERT INTO staging.stream_comments (source_id, comment_text, labels, input_ids, deleted, source_lsn, source_ts, op)
            VALUES ($1, $2, $3, $4, $2 IS NULL, $5::pg_lsn, now(), CASE WHEN $2 IS NULL THEN 'd' ELSE 'c' END)
            ON CONFLICT (source_id) DO UPDATE SET comment_text = EXCLUDED.comment_text, labels = EXCLUDED.labels, input_ids = EXCLUDED.input_ids,
                deleted = EXCLUDED.deleted, source_lsn = EXCLUDED.source_lsn, source_ts = EXCLUDED.source_ts,
                op = CASE WHEN EXCLUDED.deleted THEN 'd' ELSE 'u' END, updated_at = now()
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = sourceId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)text ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = text is null ? DBNull.Value : labels, NpgsqlDbType = NpgsqlDbType.Smallint });
        command.Parameters.Add(new NpgsqlParameter { Value = text is null ? DBNull.Value : Tokens(3 + (text.Length % 5)), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = lsn });
        await command.ExecuteNonQueryAsync();
    }

    public static async Task ExecuteAsync(TestDatabase database, string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
