using Npgsql;
using ToxicFunctions.Storage;

namespace ToxicFunctions.Ingestion;

/// <summary>
/// The <c>staging.loads</c> table: which object versions were taken. Claiming a version inside the loading
/// transaction makes redelivery a no-op, and makes a concurrent second delivery wait for the first.
/// </summary>
internal static class LoadRegistry
{
    public static async Task<long?> TryClaimAsync(NpgsqlConnection connection, ObjectRef obj, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO staging.loads (store, container, object_key, object_version, size_bytes, status)
            VALUES (@store, @container, @key, @version, @size, 'loading')
            ON CONFLICT ON CONSTRAINT loads_object_version_key DO NOTHING
            RETURNING load_id
            """,
            connection);
        AddObject(command, obj);
        command.Parameters.AddWithValue("size", (object?)obj.Size ?? DBNull.Value);
        return (long?)await command.ExecuteScalarAsync(cancellationToken);
    }

    public static async Task<(long LoadId, string Status, long Rows, long Rejected, string? Error)> GetAsync(
        NpgsqlConnection connection, ObjectRef obj, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT load_id, status, rows_loaded, rows_rejected, error FROM staging.loads
            WHERE store = @store AND container = @container AND object_key = @key AND object_version = @version
            """,
            connection);
        AddObject(command, obj);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException($"No load is recorded for {obj}.");
        }

        return (reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetString(4));
    }

    public static async Task CompleteAsync(NpgsqlConnection connection, long loadId, long rows, long rejected, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            UPDATE staging.loads SET status = 'loaded', rows_loaded = @rows, rows_rejected = @rejected, finished_at = clock_timestamp()
            WHERE load_id = @id
            """,
            connection);
        command.Parameters.AddWithValue("id", loadId);
        command.Parameters.AddWithValue("rows", rows);
        command.Parameters.AddWithValue("rejected", rejected);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<long> RecordFailureAsync(NpgsqlConnection connection, ObjectRef obj, string error, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO staging.loads (store, container, object_key, object_version, size_bytes, status, error, finished_at)
            VALUES (@store, @container, @key, @version, @size, 'failed', @error, now())
            ON CONFLICT ON CONSTRAINT loads_object_version_key DO UPDATE SET error = EXCLUDED.error
            RETURNING load_id
            """,
            connection);
        AddObject(command, obj);
        command.Parameters.AddWithValue("size", (object?)obj.Size ?? DBNull.Value);
        command.Parameters.AddWithValue("error", error);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static void AddObject(NpgsqlCommand command, ObjectRef obj)
    {
        command.Parameters.AddWithValue("store", obj.Store);
        command.Parameters.AddWithValue("container", obj.Container);
        command.Parameters.AddWithValue("key", obj.Key);
        command.Parameters.AddWithValue("version", obj.Version);
    }
}
