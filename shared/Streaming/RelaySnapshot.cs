using System.Data;
using System.Text.RegularExpressions;
using Npgsql;

namespace ToxicFunctions.Streaming;

/// <summary>
/// Produces a snapshot of every table of the publication as read events (op <c>r</c>), read in the snapshot a new slot
/// exported, all at the slot's consistent point. A repair snapshot (a re-snapshot) first produces a truncate event per
/// table at that same point: a consumer then drops rows whose deletes were lost, and the snapshot's rows, not older
/// than the truncate, bring back every row that exists.
/// </summary>
internal sealed partial class RelaySnapshot(NpgsqlDataSource dataSource, string publication)
{
    /// <summary>Produces the snapshot and returns once Kafka holds all of it; returns the number of rows.</summary>
    /// <param name="snapshotName">The snapshot the slot exported (valid until the replication connection's next command).</param>
    /// <param name="consistentPoint">The slot's consistent point: every event's position (source lsn and commit lsn).</param>
    /// <param name="repair">Whether to start with a truncate event per table (a re-snapshot).</param>
    /// <param name="producer">Where the events go.</param>
    /// <param name="cancellationToken">Stops the snapshot.</param>
    /// <exception cref="InvalidOperationException">Kafka did not acknowledge every event; the snapshot must be taken again.</exception>
    public async Task<long> ProduceAsync(
        string snapshotName, ulong consistentPoint, bool repair, ChangeEventProducer producer, CancellationToken cancellationToken)
    {
        if (!SnapshotNamePattern().IsMatch(snapshotName))
        {
            throw new InvalidOperationException($"Unexpected snapshot name '{snapshotName}'.");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);

        // SET TRANSACTION SNAPSHOT takes no parameters; the name comes from the server and matched the pattern above.
        await using (var use = new NpgsqlCommand($"SET TRANSACTION SNAPSHOT '{snapshotName}'", connection, transaction))
        {
            await use.ExecuteNonQueryAsync(cancellationToken);
        }

        // The whole snapshot is one unit for Kafka: it counts only once every event is acknowledged.
        var acknowledgements = new RelayAcknowledgements();
        var sent = acknowledgements.Begin();
        var source = new ChangeSource(consistentPoint, consistentPoint, null, DateTimeOffset.UtcNow, "true");
        var tables = new List<CapturedTable>();
        foreach (var (schema, name) in await CapturedTableCatalog.PublicationTablesAsync(connection, publication, cancellationToken))
        {
            tables.Add(await CapturedTableCatalog.ReadAsync(connection, schema, name, cancellationToken));
        }

        if (repair)
        {
            foreach (var table in tables)
            {
                producer.Send(new CapturedChange(table, 't', null, null, source), acknowledgements, sent);
            }
        }

        long rows = 0;
        foreach (var table in tables)
        {
            rows += await ProduceRowsAsync(connection, transaction, table, source, producer, acknowledgements, sent, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        acknowledgements.Commit(sent, consistentPoint);
        producer.FlushSnapshot(acknowledgements);
        return rows;
    }

    private static async Task<long> ProduceRowsAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CapturedTable table,
        ChangeSource source,
        ChangeEventProducer producer,
        RelayAcknowledgements acknowledgements,
        RelayAcknowledgements.Transaction sent,
        CancellationToken cancellationToken)
    {
        var columns = string.Join(", ", table.Columns.Select(c => CapturedTableCatalog.Quote(c.Name) + "::text"));
        await using var select = new NpgsqlCommand(
            $"SELECT {columns} FROM {CapturedTableCatalog.Quote(table.Schema)}.{CapturedTableCatalog.Quote(table.Name)}", connection, transaction);
        await using var reader = await select.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        long rows = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new string?[table.Columns.Count];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = await reader.IsDBNullAsync(i, cancellationToken) ? null : reader.GetString(i);
            }

            producer.Send(new CapturedChange(table, 'r', null, row, source), acknowledgements, sent);
            rows++;
        }

        return rows;
    }

    [GeneratedRegex("^[0-9A-Fa-f]+-[0-9A-Fa-f]+(-[0-9]+)?$")]
    private static partial Regex SnapshotNamePattern();
}
