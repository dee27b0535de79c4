using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Npgsql.Replication;
using Npgsql.Replication.PgOutput;
using ToxicFunctions.Database;

namespace ToxicFunctions.Streaming;

/// <summary>
/// Change data capture without Debezium: reads the publication's changes through a logical replication slot
/// (pgoutput, via Npgsql) and produces them to Kafka in Debezium's PostgreSQL connector format: a tombstone after each
/// delete, a truncate event (null key) per truncated table. A new slot starts with a snapshot of the tables (op
/// <c>r</c>) taken at the slot's consistent point; a re-snapshot (<see cref="ResnapshotAsync"/>) starts it with a
/// truncate event per table. The relay confirms a WAL position to PostgreSQL only once Kafka has acknowledged every
/// event up to it, so after a crash it resumes from there (events may repeat, never go missing); when nothing is in
/// flight it confirms the server's latest position, so WAL does not pile up behind an idle slot.
/// </summary>
/// <remarks>
/// The parts: <see cref="RelaySlot"/> (slot, snapshot bookkeeping) with <see cref="RelaySnapshot"/> (snapshot rows),
/// <see cref="PgOutputDecoder"/> (replication messages to changes), <see cref="ChangeEventProducer"/> (Kafka, tracked in
/// <see cref="RelayAcknowledgements"/>), <see cref="RelayPositionConfirmer"/> (status updates); the Kafka producer comes
/// from <see cref="CdcProducerFactory"/>.
/// </remarks>
public sealed class CdcRelay(
    NpgsqlDataSource dataSource, IOptions<PostgresOptions> postgres, IOptions<CdcOptions> options, CdcProducerFactory producers, ILogger<CdcRelay> logger)
{
    /// <summary>Runs until cancelled or until Kafka rejects an event (then throws; running again resumes).</summary>
    /// <exception cref="InvalidOperationException">
    /// Kafka rejected an event (the inner exception says why), the snapshot did not reach Kafka, or the slot was invalidated.
    /// </exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // The configured string, not dataSource.ConnectionString: Npgsql strips the password from the latter.
        var connectionString = postgres.Value.ConnectionString;
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database
            ?? throw new InvalidOperationException("The Postgres connection string names no database.");
        using var kafka = producers.Create();
        var producer = new ChangeEventProducer(kafka, new DebeziumEventWriter(settings.TopicPrefix, database, settings.IncludeSchema), settings.TopicPrefix);

        // No command timeout on the replication connection: creating a slot waits for every transaction running then
        // to end, and dropping one waits for its previous holder to let go; both end with the token instead.
        var replicationString = new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ConnectionString;
        await using var replication = new LogicalReplicationConnection(replicationString)
        {
            WalReceiverStatusInterval = settings.StatusInterval,
        };
        await replication.Open(cancellationToken);
        var slot = await Slot().PrepareAsync(replication, new RelaySnapshot(dataSource, settings.Publication), producer, cancellationToken);

        var acknowledgements = new RelayAcknowledgements();
        using var stream = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopStatus = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var status = new RelayPositionConfirmer(replication, acknowledgements, logger).RunAsync(settings.StatusInterval, stream.Cancel, stopStatus.Token);
        try
        {
            await StreamAsync(replication, slot, producer, acknowledgements, stream.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The confirmer stopped the stream: a delivery failed.
            acknowledgements.ThrowIfFailed();
            throw;
        }
        finally
        {
            await stopStatus.CancelAsync();
            await status;
            producer.Flush(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>
    /// Gap repair: drops the relay's slot and its completed snapshot (<c>staging.cdc_relays</c>), so that the next
    /// <see cref="RunAsync"/> creates a new slot and snapshot, which starts with a truncate event per captured table at
    /// the snapshot's consistent point (consumers drop rows whose deletes they lost; the snapshot rows bring back the
    /// rest). Returns whether a slot existed.
    /// </summary>
    /// <exception cref="InvalidOperationException">A running relay holds the slot: stop it first.</exception>
    public Task<bool> ResnapshotAsync(CancellationToken cancellationToken) => Slot().RequestResnapshotAsync(cancellationToken);

    private RelaySlot Slot() => new(dataSource, options.Value.SlotName, logger);

    private async Task StreamAsync(
        LogicalReplicationConnection replication,
        PgOutputReplicationSlot slot,
        ChangeEventProducer producer,
        RelayAcknowledgements acknowledgements,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var decoder = new PgOutputDecoder(dataSource, settings.UnavailableValuePlaceholder);
        var messages = replication.StartReplication(slot, new PgOutputReplicationOptions(settings.Publication, PgOutputProtocolVersion.V1), cancellationToken);
        RelayAcknowledgements.Transaction? transaction = null;
        await foreach (var item in decoder.DecodeAsync(messages, cancellationToken))
        {
            acknowledgements.ThrowIfFailed();
            switch (item)
            {
                case TransactionBegun:
                    transaction = acknowledgements.Begin();
                    transaction.Trace = StartTransactionActivity(slot.Name);
                    break;

                case CapturedChange change:
                    producer.Send(change, acknowledgements, transaction ?? throw new InvalidOperationException("A change outside a transaction."));
                    break;

                case TransactionCommitted commit when transaction is not null:
                    acknowledgements.Commit(transaction, commit.EndLsn);
                    transaction.Trace?.SetTag("toxic.source.end_lsn", new NpgsqlTypes.NpgsqlLogSequenceNumber(commit.EndLsn).ToString());
                    transaction.Trace?.Stop();
                    transaction = null;
                    break;
            }
        }
    }

    // A span per source transaction relayed, the start of the trace its events continue in the stream function. It
    // spans the relay's reading of the transaction, so it is started without becoming the loop's current span.
    private static System.Diagnostics.Activity? StartTransactionActivity(string slot)
    {
        var previous = System.Diagnostics.Activity.Current;
        var activity = Telemetry.ToxicTracing.Source.StartActivity("relay transaction", System.Diagnostics.ActivityKind.Producer, parentContext: default);
        System.Diagnostics.Activity.Current = previous;
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.operation.type", "send");
        activity?.SetTag("toxic.source.slot", slot);
        return activity;
    }
}
