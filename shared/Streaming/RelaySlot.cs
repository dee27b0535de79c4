using Microsoft.Extensions.Logging;
using Npgsql;
using Npgsql.Replication;
using Npgsql.Replication.PgOutput;
using NpgsqlTypes;

namespace ToxicFunctions.Streaming;

/// <summary>
/// The relay's logical replication slot and its bookkeeping: <c>staging.cdc_relays</c> holds a row per slot whose
/// snapshot reached Kafka completely, <c>staging.cdc_relay_resnapshots</c> a row per slot whose next snapshot must
/// repair consumers (a re-snapshot, which starts with truncate events).
/// </summary>
internal sealed class RelaySlot(NpgsqlDataSource dataSource, string slotName, ILogger logger)
{
    private const string ObjectInUse = "55006";

    /// <summary>
    /// Resumes the slot when its snapshot reached Kafka; otherwise (a new slot, a crash mid-snapshot, a re-snapshot)
    /// creates the slot afresh and has <paramref name="snapshot"/> produce the tables at its consistent point. A slot
    /// that vanished after its snapshot is re-snapshotted: events since its last confirmed position are lost.
    /// </summary>
    /// <exception cref="InvalidOperationException">The slot was invalidated (it held more WAL than the server allows).</exception>
    public async Task<PgOutputReplicationSlot> PrepareAsync(
        LogicalReplicationConnection replication, RelaySnapshot snapshot, ChangeEventProducer producer, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var walStatus = await ScalarAsync(connection, "SELECT coalesce(wal_status, '') FROM pg_replication_slots WHERE slot_name = @slot", cancellationToken) as string;
        var snapshotDone = await ScalarAsync(connection, "SELECT true FROM staging.cdc_relays WHERE slot_name = @slot", cancellationToken) is true;
        if (walStatus == "lost")
        {
            throw new InvalidOperationException(
                $"Replication slot {slotName} was invalidated: it held more WAL than max_slot_wal_keep_size and the changes since its "
                + "confirmed position are gone. Run `toxic cdc-relay --resnapshot` to take a new snapshot that repairs the consumers.");
        }

        if (walStatus is not null && snapshotDone)
        {
            logger.LogInformation("CDC relay resumes slot {Slot}", slotName);
            return new PgOutputReplicationSlot(slotName);
        }

        if (walStatus is not null)
        {
            logger.LogWarning("Slot {Slot} has no completed snapshot; taking it again", slotName);
            await replication.DropReplicationSlot(slotName, wait: true, cancellationToken);
        }
        else if (snapshotDone)
        {
            logger.LogWarning("Slot {Slot} is gone after its snapshot: changes since its last confirmed position are lost; taking a repair snapshot", slotName);
            await RequestRepairAsync(connection, null, "the slot vanished after its snapshot", cancellationToken);
        }

        await ScalarAsync(connection, "DELETE FROM staging.cdc_relays WHERE slot_name = @slot", cancellationToken);
        var repair = await ScalarAsync(connection, "SELECT true FROM staging.cdc_relay_resnapshots WHERE slot_name = @slot", cancellationToken) is true;
        // PostgreSQL sets the slot's consistent point once every transaction running now has ended, in any database, so a
        // long transaction elsewhere (a batch load) delays the relay's start; the replication connection has no command
        // timeout for this (see CdcRelay).
        logger.LogInformation("Creating slot {Slot}; PostgreSQL waits for the transactions running now to end", slotName);
        var slot = await replication.CreatePgOutputReplicationSlot(
            slotName, slotSnapshotInitMode: LogicalSlotSnapshotInitMode.Export, cancellationToken: cancellationToken);
        var consistentPoint = (ulong)slot.ConsistentPoint;
        var rows = await snapshot.ProduceAsync(slot.SnapshotName!, consistentPoint, repair, producer, cancellationToken);

        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await using (var done = new NpgsqlCommand(
                "INSERT INTO staging.cdc_relays (slot_name, snapshot_lsn, snapshot_rows) VALUES (@slot, @lsn, @rows)", connection, transaction))
            {
                done.Parameters.AddWithValue("slot", slotName);
                done.Parameters.AddWithValue("lsn", NpgsqlDbType.PgLsn, new NpgsqlLogSequenceNumber(consistentPoint));
                done.Parameters.AddWithValue("rows", rows);
                await done.ExecuteNonQueryAsync(cancellationToken);
            }

            await ScalarAsync(connection, "DELETE FROM staging.cdc_relay_resnapshots WHERE slot_name = @slot", cancellationToken, transaction);
            await transaction.CommitAsync(cancellationToken);
        }

        logger.LogInformation(
            "CDC relay created slot {Slot}; {Kind} of {Rows} rows at {Lsn} is in Kafka",
            slotName, repair ? "repair snapshot (truncate events first)" : "snapshot", rows, slot.ConsistentPoint);
        return slot;
    }

    /// <summary>
    /// Drops the slot and its completed snapshot, and asks that the next snapshot repair consumers; all or nothing.
    /// Returns whether a slot existed.
    /// </summary>
    /// <exception cref="InvalidOperationException">A running relay holds the slot.</exception>
    public async Task<bool> RequestResnapshotAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await RequestRepairAsync(connection, transaction, "toxic cdc-relay --resnapshot", cancellationToken);
        await ScalarAsync(connection, "DELETE FROM staging.cdc_relays WHERE slot_name = @slot", cancellationToken, transaction);
        bool dropped;
        try
        {
            dropped = await ScalarAsync(
                connection,
                "SELECT count(*) > 0 FROM (SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = @slot) d",
                cancellationToken,
                transaction) is true;
        }
        catch (PostgresException e) when (e.SqlState == ObjectInUse)
        {
            throw new InvalidOperationException($"Replication slot {slotName} is in use by a running relay ({e.MessageText}); stop it first.", e);
        }

        await transaction.CommitAsync(cancellationToken);
        return dropped;
    }

    private async Task RequestRepairAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string reason, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO staging.cdc_relay_resnapshots (slot_name, reason) VALUES (@slot, @reason)
            ON CONFLICT (slot_name) DO UPDATE SET requested_at = now(), reason = EXCLUDED.reason
            """,
            connection,
            transaction);
        command.Parameters.AddWithValue("slot", slotName);
        command.Parameters.AddWithValue("reason", reason);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("slot", slotName);
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
