using Microsoft.Extensions.Logging;
using Npgsql;
using Npgsql.Replication;
using Npgsql.Replication.PgOutput;
using NpgsqlTypes;

namespace ToxicFunctions.Streaming;

/// <summary>
/// The relay's logical replication slot and its bookkeeping: <c>staging.cdc_relays</c> holds a row per slot whose
/// snapshot reached Kafka completely.
/// </summary>
internal sealed class RelaySlot(NpgsqlDataSource dataSource, string slotName, ILogger logger)
{
    /// <summary>
    /// Resumes the slot when its snapshot reached Kafka; otherwise (a new slot, or a crash mid-snapshot) creates the
    /// slot afresh and has <paramref name="snapshot"/> produce the tables at its consistent point.
    /// </summary>
    public async Task<PgOutputReplicationSlot> PrepareAsync(
        LogicalReplicationConnection replication, RelaySnapshot snapshot, ChangeEventProducer producer, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var slotExists = await ScalarAsync(connection, "SELECT true FROM pg_replication_slots WHERE slot_name = @slot", cancellationToken) is true;
        var snapshotDone = await ScalarAsync(connection, "SELECT true FROM staging.cdc_relays WHERE slot_name = @slot", cancellationToken) is true;
        if (slotExists && snapshotDone)
        {
            logger.LogInformation("CDC relay resumes slot {Slot}", slotName);
            return new PgOutputReplicationSlot(slotName);
        }

        if (slotExists)
        {
            logger.LogWarning("Slot {Slot} has no completed snapshot; taking it again", slotName);
            await replication.DropReplicationSlot(slotName, wait: true, cancellationToken);
        }

        await ScalarAsync(connection, "DELETE FROM staging.cdc_relays WHERE slot_name = @slot", cancellationToken);
        var slot = await replication.CreatePgOutputReplicationSlot(
            slotName, slotSnapshotInitMode: LogicalSlotSnapshotInitMode.Export, cancellationToken: cancellationToken);
        var consistentPoint = (ulong)slot.ConsistentPoint;
        var rows = await snapshot.ProduceAsync(slot.SnapshotName!, consistentPoint, producer, cancellationToken);

        await using (var done = new NpgsqlCommand(
            "INSERT INTO staging.cdc_relays (slot_name, snapshot_lsn, snapshot_rows) VALUES (@slot, @lsn, @rows)", connection))
        {
            done.Parameters.AddWithValue("slot", slotName);
            done.Parameters.AddWithValue("lsn", NpgsqlDbType.PgLsn, new NpgsqlLogSequenceNumber(consistentPoint));
            done.Parameters.AddWithValue("rows", rows);
            await done.ExecuteNonQueryAsync(cancellationToken);
        }

        logger.LogInformation("CDC relay created slot {Slot}; snapshot of {Rows} rows at {Lsn} is in Kafka", slotName, rows, slot.ConsistentPoint);
        return slot;
    }

    private async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("slot", slotName);
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
