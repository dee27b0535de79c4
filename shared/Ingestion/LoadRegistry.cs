using Npgsql;
using ToxicFunctions.Storage;

namespace ToxicFunctions.Ingestion;

/// <summary>
/// The <c>staging.loads</c> table: which object versions were announced and what became of each. Claiming a version
/// inside the loading transaction makes redelivery a no-op, and makes a concurrent second delivery wait for the first.
/// </summary>
internal static class LoadRegistry
{
    /// <summary>
    /// Claims the version for loading; null when it was taken before. A version recorded as not found is claimed
    /// again: the object exists now.
    /// </summary>
    public static async Task<long?> TryClaimAsync(NpgsqlConnection connection, ObjectRef obj, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO staging.loads (store, container, object_key, object_version, size_bytes, status)
            VALUES (@store, @container, @key, @version, @size, 'loading')
            ON CONFLICT ON CONSTRAINT loads_object_version_key DO UPDATE
                SET status = 'loading', size_bytes = EXCLUDED.size_bytes, reason = NULL, started_at = now(), finished_at = NULL
                WHERE staging.loads.status = 'not_found'
            RETURNING load_id
            """,
            connection);
        AddObjectAndSize(command, obj);
        return (long?)await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>What was recorded for the version before, as the outcome a redelivery gets.</summary>
    public static async Task<IngestResult> GetAsync(NpgsqlConnection connection, ObjectRef obj, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT load_id, status, rows_loaded, rows_rejected, reason FROM staging.loads
            WHERE store = @store AND container = @container AND object_key = @key AND object_version = @version
            """,
            connection);
        AddObject(command, obj);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException($"No load is recorded for {obj}.");
        }

        var outcome = reader.GetString(1) switch
        {
            "failed" => IngestOutcome.Failed,
            "skipped" => IngestOutcome.Skipped,
            "not_found" => IngestOutcome.NotFound,
            _ => IngestOutcome.AlreadyLoaded,
        };
        return new IngestResult(obj, outcome, reader.GetInt64(0), reader.GetInt64(2), reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetString(4));
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

    /// <summary>
    /// Records a version from which nothing was loaded (<see cref="IngestOutcome.Failed"/>, <see cref="IngestOutcome.Skipped"/>
    /// or <see cref="IngestOutcome.NotFound"/>) with its reason. When the version was recorded before with another
    /// status (loaded before the object was deleted, for example), that record stands and is returned.
    /// </summary>
    public static async Task<IngestResult> RecordUnloadedAsync(
        NpgsqlConnection connection, ObjectRef obj, IngestOutcome outcome, string reason, CancellationToken cancellationToken)
    {
        var status = outcome switch
        {
            IngestOutcome.Failed => "failed",
            IngestOutcome.Skipped => "skipped",
            IngestOutcome.NotFound => "not_found",
            _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Only an outcome that loads nothing is recorded this way."),
        };
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO staging.loads (store, container, object_key, object_version, size_bytes, status, reason, finished_at)
            VALUES (@store, @container, @key, @version, @size, @status, @reason, now())
            ON CONFLICT ON CONSTRAINT loads_object_version_key DO UPDATE SET reason = EXCLUDED.reason, finished_at = EXCLUDED.finished_at
                WHERE staging.loads.status = EXCLUDED.status
            RETURNING load_id
            """,
            connection);
        AddObjectAndSize(command, obj);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.AddWithValue("reason", reason);
        return await command.ExecuteScalarAsync(cancellationToken) is long loadId
            ? new IngestResult(obj, outcome, loadId, 0, 0, reason)
            : await GetAsync(connection, obj, cancellationToken);
    }

    private static void AddObject(NpgsqlCommand command, ObjectRef obj)
    {
        command.Parameters.AddWithValue("store", obj.Store);
        command.Parameters.AddWithValue("container", obj.Container);
        command.Parameters.AddWithValue("key", obj.Key);
        command.Parameters.AddWithValue("version", obj.Version);
    }

    private static void AddObjectAndSize(NpgsqlCommand command, ObjectRef obj)
    {
        AddObject(command, obj);
        command.Parameters.AddWithValue("size", (object?)obj.Size ?? DBNull.Value);
    }
}
