using Microsoft.Extensions.Logging;
using Npgsql.Replication;
using NpgsqlTypes;

namespace ToxicFunctions.Streaming;

/// <summary>
/// Every interval, confirms to PostgreSQL the WAL position up to which Kafka holds everything: the end of the last
/// acknowledged transaction, or, with nothing in flight, the last position the server sent (so WAL does not pile up
/// behind an idle slot). Stops the stream once Kafka rejected an event, even when no further change arrives.
/// </summary>
internal sealed class RelayPositionConfirmer(LogicalReplicationConnection replication, RelayAcknowledgements acknowledgements, ILogger logger)
{
    /// <summary>Runs until cancelled; calls <paramref name="stopStream"/> (once) when a delivery failed.</summary>
    public async Task RunAsync(TimeSpan interval, Action stopStream, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (acknowledgements.Failure is not null)
                {
                    stopStream();
                    return;
                }

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
}
