using System.Data;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Npgsql.Replication;
using Npgsql.Replication.PgOutput;
using Npgsql.Replication.PgOutput.Messages;
using NpgsqlTypes;
using ToxicFunctions.Database;

namespace ToxicFunctions.Streaming;

/// <summary>
/// Change data capture without Debezium: reads the publication's changes through a logical replication slot
/// (pgoutput, via Npgsql) and produces them to Kafka in Debezium's PostgreSQL connector format, a tombstone after each
/// delete. A new slot starts with a snapshot of the tables (op <c>r</c>) taken at the slot's consistent point. The relay
/// confirms a WAL position to PostgreSQL only once Kafka has acknowledged every event up to it, so after a crash it
/// resumes from there (events may repeat, never go missing); when nothing is in flight it confirms the server's latest
/// position, so WAL does not pile up behind an idle slot.
/// </summary>
public sealed partial class CdcRelay(
    NpgsqlDataSource dataSource, IOptions<PostgresOptions> postgres, IOptions<CdcOptions> options, IOptions<KafkaOptions> kafka, ILogger<CdcRelay> logger)
{
    /// <summary>Runs until cancelled or until Kafka rejects an event (then throws; running again resumes).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // The configured string, not dataSource.ConnectionString: Npgsql strips the password from the latter.
        var connectionString = postgres.Value.ConnectionString;
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database
            ?? throw new InvalidOperationException("The Postgres connection string names no database.");
        var writer = new DebeziumEventWriter(settings.TopicPrefix, database, settings.IncludeSchema);
        var acknowledgements = new RelayAcknowledgements();
        using var producer = new ProducerBuilder<byte[], byte[]?>(new ProducerConfig
        {
            BootstrapServers = kafka.Value.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 5,
            Partitioner = Partitioner.Murmur2Random, // the Java client's default, which Debezium uses
        }).Build();

        await using var replication = new LogicalReplicationConnection(connectionString)
        {
            WalReceiverStatusInterval = settings.StatusInterval,
        };
        await replication.Open(cancellationToken);
        var slot = await PrepareSlotAsync(replication, producer, writer, cancellationToken);

        using var stopStatus = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var status = ConfirmPositionsAsync(replication, acknowledgements, settings.StatusInterval, stopStatus.Token);
        try
        {
            await StreamAsync(replication, slot, producer, writer, acknowledgements, cancellationToken);
        }
        finally
        {
            await stopStatus.CancelAsync();
            await status;
            producer.Flush(TimeSpan.FromSeconds(10));
        }
    }

    private async Task StreamAsync(
        LogicalReplicationConnection replication,
        PgOutputReplicationSlot slot,
        IProducer<byte[], byte[]?> producer,
        DebeziumEventWriter writer,
        RelayAcknowledgements acknowledgements,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var tables = new Dictionary<uint, CapturedTable>();
        RelayAcknowledgements.Transaction? transaction = null;
        var xid = (uint?)null;
        var commitLsn = 0UL;
        var committedAt = DateTimeOffset.UtcNow;
        var replicationOptions = new PgOutputReplicationOptions(settings.Publication, PgOutputProtocolVersion.V1);
        await foreach (var message in replication.StartReplication(slot, replicationOptions, cancellationToken))
        {
            acknowledgements.ThrowIfFailed();
            switch (message)
            {
                case BeginMessage begin:
                    transaction = acknowledgements.Begin();
                    xid = begin.TransactionXid;
                    commitLsn = (ulong)begin.TransactionFinalLsn;
                    committedAt = begin.TransactionCommitTimestamp;
                    break;

                case RelationMessage relation:
                    tables[relation.RelationId] = await DescribeAsync(relation, cancellationToken);
                    break;

                case InsertMessage insert:
                    {
                        var table = tables[insert.Relation.RelationId];
                        var after = await ReadRowAsync(insert.NewRow, null, cancellationToken);
                        Send(producer, writer, acknowledgements, transaction!, table, 'c', null, after, Source(message.WalStart));
                        break;
                    }

                case UpdateMessage update:
                    {
                        var table = tables[update.Relation.RelationId];
                        var before = update is FullUpdateMessage full ? await ReadRowAsync(full.OldRow, null, cancellationToken) : null;
                        var after = await ReadRowAsync(update.NewRow, before, cancellationToken);
                        Send(producer, writer, acknowledgements, transaction!, table, 'u', before, after, Source(message.WalStart));
                        break;
                    }

                case FullDeleteMessage delete:
                    {
                        var table = tables[delete.Relation.RelationId];
                        var before = await ReadRowAsync(delete.OldRow, null, cancellationToken);
                        Send(producer, writer, acknowledgements, transaction!, table, 'd', before, null, Source(message.WalStart));
                        break;
                    }

                case KeyDeleteMessage delete:
                    {
                        var table = tables[delete.Relation.RelationId];
                        var before = await ReadRowAsync(delete.Key, null, cancellationToken);
                        Send(producer, writer, acknowledgements, transaction!, table, 'd', before, null, Source(message.WalStart));
                        break;
                    }

                case CommitMessage commit:
                    if (transaction is not null)
                    {
                        acknowledgements.Commit(transaction, (ulong)commit.TransactionEndLsn);
                        transaction = null;
                    }

                    break;
            }
        }

        ChangeSource Source(NpgsqlLogSequenceNumber lsn) => new((ulong)lsn, commitLsn, xid, committedAt, "false");
    }

    private void Send(
        IProducer<byte[], byte[]?> producer,
        DebeziumEventWriter writer,
        RelayAcknowledgements acknowledgements,
        RelayAcknowledgements.Transaction transaction,
        CapturedTable table,
        char op,
        IReadOnlyList<string?>? before,
        IReadOnlyList<string?>? after,
        ChangeSource source)
    {
        var key = writer.Key(table, after ?? before!);
        var topic = table.Topic(options.Value.TopicPrefix);
        Produce(producer, acknowledgements, transaction, topic, key, writer.Value(table, op, before, after, source));
        if (op == 'd')
        {
            // Debezium's tombstone: lets a compacted topic forget the key.
            Produce(producer, acknowledgements, transaction, topic, key, null);
        }
    }

    private static void Produce(
        IProducer<byte[], byte[]?> producer, RelayAcknowledgements acknowledgements, RelayAcknowledgements.Transaction transaction,
        string topic, byte[] key, byte[]? value)
    {
        acknowledgements.Sent(transaction);
        var message = new Message<byte[], byte[]?> { Key = key, Value = value };
        while (true)
        {
            try
            {
                producer.Produce(topic, message, report =>
                    acknowledgements.Delivered(transaction, report.Error.IsError ? new KafkaException(report.Error) : null));
                return;
            }
            catch (ProduceException<byte[], byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    /// <summary>
    /// Every interval, confirms to PostgreSQL the position up to which Kafka holds everything: the end of the last
    /// acknowledged transaction, or, with nothing in flight, the last position the server sent.
    /// </summary>
    private async Task ConfirmPositionsAsync(
        LogicalReplicationConnection replication, RelayAcknowledgements acknowledgements, TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var confirmed = acknowledgements.Idle
                    ? Math.Max(acknowledgements.AcknowledgedLsn, (ulong)replication.LastReceivedLsn)
                    : acknowledgements.AcknowledgedLsn;
                if (confirmed > (ulong)replication.LastFlushedLsn)
                {
                    replication.SetReplicationStatus(new NpgsqlLogSequenceNumber(confirmed));
                    await replication.SendStatusUpdate(cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Confirming the replication position failed; the stream will report it");
        }
    }

    private async Task<CapturedTable> DescribeAsync(RelationMessage relation, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var catalog = await CapturedTableCatalog.ReadAsync(connection, relation.Namespace, relation.RelationName, cancellationToken);

        // The relation message is authoritative for the columns of the stream; the catalog adds the primary key.
        var columns = relation.Columns.Select(c => new CapturedColumn(c.ColumnName, c.DataTypeId)).ToList();
        var keyNames = catalog.KeyColumns.Select(i => catalog.Columns[i].Name).ToHashSet();
        var keys = columns.Select((c, i) => (c, i)).Where(x => keyNames.Contains(x.c.Name)).Select(x => x.i).ToList();
        return new CapturedTable(relation.Namespace, relation.RelationName, columns, keys);
    }

    /// <summary>Reads a row in text format; an unchanged TOASTed value (not sent) is taken from <paramref name="previous"/>.</summary>
    private static async Task<string?[]> ReadRowAsync(ReplicationTuple tuple, string?[]? previous, CancellationToken cancellationToken)
    {
        var row = new string?[tuple.NumColumns];
        var i = 0;
        await foreach (var value in tuple.WithCancellation(cancellationToken))
        {
            row[i] = value.IsDBNull ? null
                : value.IsUnchangedToastedValue ? previous?[i]
                : await value.Get<string>(cancellationToken);
            i++;
        }

        return row;
    }

    /// <summary>
    /// Resumes the slot when its snapshot reached Kafka; otherwise (a new slot, or a crash mid-snapshot) creates the
    /// slot afresh and produces a snapshot of every published table at the slot's consistent point.
    /// </summary>
    private async Task<PgOutputReplicationSlot> PrepareSlotAsync(
        LogicalReplicationConnection replication, IProducer<byte[], byte[]?> producer, DebeziumEventWriter writer, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var slotExists = await ScalarAsync(connection, "SELECT true FROM pg_replication_slots WHERE slot_name = @slot", cancellationToken) is true;
        var snapshotDone = await ScalarAsync(connection, "SELECT true FROM staging.cdc_relays WHERE slot_name = @slot", cancellationToken) is true;
        if (slotExists && snapshotDone)
        {
            logger.LogInformation("CDC relay resumes slot {Slot}", settings.SlotName);
            return new PgOutputReplicationSlot(settings.SlotName);
        }

        if (slotExists)
        {
            logger.LogWarning("Slot {Slot} has no completed snapshot; taking it again", settings.SlotName);
            await replication.DropReplicationSlot(settings.SlotName, wait: true, cancellationToken);
        }

        await ScalarAsync(connection, "DELETE FROM staging.cdc_relays WHERE slot_name = @slot", cancellationToken);
        var slot = await replication.CreatePgOutputReplicationSlot(
            settings.SlotName, slotSnapshotInitMode: LogicalSlotSnapshotInitMode.Export, cancellationToken: cancellationToken);
        var consistentPoint = (ulong)slot.ConsistentPoint;
        var rows = await SnapshotAsync(slot.SnapshotName!, consistentPoint, producer, writer, cancellationToken);

        await using (var done = new NpgsqlCommand(
            "INSERT INTO staging.cdc_relays (slot_name, snapshot_lsn, snapshot_rows) VALUES (@slot, @lsn, @rows)", connection))
        {
            done.Parameters.AddWithValue("slot", settings.SlotName);
            done.Parameters.AddWithValue("lsn", NpgsqlDbType.PgLsn, new NpgsqlLogSequenceNumber(consistentPoint));
            done.Parameters.AddWithValue("rows", rows);
            await done.ExecuteNonQueryAsync(cancellationToken);
        }

        logger.LogInformation("CDC relay created slot {Slot}; snapshot of {Rows} rows at {Lsn} is in Kafka", settings.SlotName, rows, slot.ConsistentPoint);
        return slot;
    }

    private async Task<long> SnapshotAsync(
        string snapshotName, ulong consistentPoint, IProducer<byte[], byte[]?> producer, DebeziumEventWriter writer, CancellationToken cancellationToken)
    {
        if (!SnapshotNamePattern().IsMatch(snapshotName))
        {
            throw new InvalidOperationException($"Unexpected snapshot name '{snapshotName}'.");
        }

        var settings = options.Value;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);

        // SET TRANSACTION SNAPSHOT takes no parameters; the name comes from the server and matched the pattern above.
        await using (var use = new NpgsqlCommand($"SET TRANSACTION SNAPSHOT '{snapshotName}'", connection, transaction))
        {
            await use.ExecuteNonQueryAsync(cancellationToken);
        }

        var startedAt = DateTimeOffset.UtcNow;
        long rows = 0;
        var errors = new List<Exception>();
        foreach (var (schema, name) in await CapturedTableCatalog.PublicationTablesAsync(connection, settings.Publication, cancellationToken))
        {
            var table = await CapturedTableCatalog.ReadAsync(connection, schema, name, cancellationToken);
            var columns = string.Join(", ", table.Columns.Select(c => CapturedTableCatalog.Quote(c.Name) + "::text"));
            await using var select = new NpgsqlCommand(
                $"SELECT {columns} FROM {CapturedTableCatalog.Quote(schema)}.{CapturedTableCatalog.Quote(name)}", connection, transaction);
            await using var reader = await select.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
            var topic = table.Topic(settings.TopicPrefix);
            var source = new ChangeSource(consistentPoint, consistentPoint, null, startedAt, "true");
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = new string?[table.Columns.Count];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = await reader.IsDBNullAsync(i, cancellationToken) ? null : reader.GetString(i);
                }

                var message = new Message<byte[], byte[]?> { Key = writer.Key(table, row), Value = writer.Value(table, 'r', null, row, source) };
                while (true)
                {
                    try
                    {
                        producer.Produce(topic, message, report =>
                        {
                            if (report.Error.IsError)
                            {
                                lock (errors)
                                {
                                    errors.Add(new KafkaException(report.Error));
                                }
                            }
                        });
                        break;
                    }
                    catch (ProduceException<byte[], byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                    {
                        producer.Poll(TimeSpan.FromMilliseconds(50));
                    }
                }

                rows++;
            }
        }

        await transaction.CommitAsync(cancellationToken);
        if (producer.Flush(TimeSpan.FromMinutes(5)) > 0 || errors.Count > 0)
        {
            throw new InvalidOperationException("The snapshot did not reach Kafka completely; it will be taken again.", errors.FirstOrDefault());
        }

        return rows;
    }

    private async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("slot", options.Value.SlotName);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    [GeneratedRegex("^[0-9A-Fa-f]+-[0-9A-Fa-f]+(-[0-9]+)?$")]
    private static partial Regex SnapshotNamePattern();
}
