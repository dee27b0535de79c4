using Confluent.Kafka;

namespace ToxicFunctions.Streaming;

/// <summary>
/// Produces captured changes to their tables' topics (<c>&lt;prefix&gt;.&lt;schema&gt;.&lt;table&gt;</c>) as Debezium
/// events, each tracked in <see cref="RelayAcknowledgements"/> until Kafka reports its delivery: a change event keyed
/// by the row's primary key, a tombstone (null value) after a delete, and a truncate with a null key and no tombstone.
/// </summary>
internal sealed class ChangeEventProducer(IProducer<byte[]?, byte[]?> producer, DebeziumEventWriter writer, string topicPrefix)
{
    /// <summary>How long the snapshot's events may take to reach Kafka.</summary>
    private static readonly TimeSpan s_snapshotFlushTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Produces <paramref name="change"/> as part of <paramref name="transaction"/>.</summary>
    public void Send(CapturedChange change, RelayAcknowledgements acknowledgements, RelayAcknowledgements.Transaction transaction)
    {
        var topic = change.Table.Topic(topicPrefix);
        var key = change.IsTruncate ? null : writer.Key(change.Table, change.After ?? change.Before!);
        Produce(acknowledgements, transaction, topic, key, writer.Value(change.Table, change.Op, change.Before, change.After, change.Source));
        if (change.Op == 'd')
        {
            // Debezium's tombstone: lets a compacted topic forget the key.
            Produce(acknowledgements, transaction, topic, key, null);
        }
    }

    /// <summary>
    /// Waits until Kafka acknowledged every event <paramref name="acknowledgements"/> tracks (a snapshot's).
    /// </summary>
    /// <exception cref="InvalidOperationException">An event was rejected or not acknowledged in time.</exception>
    public void FlushSnapshot(RelayAcknowledgements acknowledgements)
    {
        // Flush returns once every delivery report has been handled, or with the number of messages still queued.
        if (producer.Flush(s_snapshotFlushTimeout) > 0 || acknowledgements.Failure is not null || !acknowledgements.Idle)
        {
            throw new InvalidOperationException("The snapshot did not reach Kafka completely; it will be taken again.", acknowledgements.Failure);
        }
    }

    /// <summary>Gives queued events up to <paramref name="timeout"/> to reach Kafka (on the way out).</summary>
    public void Flush(TimeSpan timeout) => producer.Flush(timeout);

    private void Produce(
        RelayAcknowledgements acknowledgements, RelayAcknowledgements.Transaction transaction, string topic, byte[]? key, byte[]? value)
    {
        acknowledgements.Sent(transaction);
        var message = new Message<byte[]?, byte[]?> { Key = key, Value = value };
        if (transaction.Trace is { } trace)
        {
            message.Headers = [new Header(Telemetry.ToxicTracing.TraceParentHeader, System.Text.Encoding.ASCII.GetBytes(trace.Id!))];
        }

        while (true)
        {
            try
            {
                producer.Produce(topic, message, report =>
                    acknowledgements.Delivered(transaction, report.Error.IsError ? new KafkaException(report.Error) : null));
                return;
            }
            catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }
}
