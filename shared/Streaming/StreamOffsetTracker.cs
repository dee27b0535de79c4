using Microsoft.Extensions.Logging;
using Npgsql;

namespace ToxicFunctions.Streaming;

/// <summary>
/// Keeps, inside each batch's transaction, the next offset the consumer group expects on every partition
/// (<c>staging.stream_partition_offsets</c>) and finds offset gaps: a batch that starts past the expected offset, or
/// skips offsets within itself, is checked against the partition's log start offset. Only when the broker no longer
/// holds the expected offset were events lost (retention deleted them and the consumer's offset reset skipped them);
/// skips over offsets the broker still holds (compacted records, transaction markers, an operator's seek) are not gaps.
/// A new consumer group has no expected offsets and starts where its offset reset puts it.
/// </summary>
internal sealed class StreamOffsetTracker(PartitionWatermarks watermarks, ILogger logger)
{
    private static readonly TimeSpan s_watermarkTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Finds the batch's gaps, records them and the new expected offsets; returns the gaps.</summary>
    public async Task<IReadOnlyList<OffsetGap>> TrackAsync(
        NpgsqlConnection connection, string consumerGroup, IReadOnlyList<StreamMessage> messages, CancellationToken cancellationToken)
    {
        var partitions = messages.GroupBy(m => (m.Topic, m.Partition))
            .Select(g => (g.Key.Topic, g.Key.Partition, Offsets: g.Select(m => m.Offset).Order().ToArray()))
            .ToList();
        var expected = await ReadExpectedAsync(connection, consumerGroup, partitions, cancellationToken);
        var gaps = new List<OffsetGap>();
        foreach (var (topic, partition, offsets) in partitions)
        {
            var jumps = new List<(long Expected, long Resumed)>();
            if (expected.TryGetValue((topic, partition), out var next) && offsets[0] > next)
            {
                jumps.Add((next, offsets[0]));
            }

            for (var i = 1; i < offsets.Length; i++)
            {
                if (offsets[i] > offsets[i - 1] + 1)
                {
                    jumps.Add((offsets[i - 1] + 1, offsets[i]));
                }
            }

            if (jumps.Count == 0)
            {
                continue;
            }

            long? logStart = null;
            try
            {
                logStart = watermarks.Query(topic, partition, s_watermarkTimeout).Low.Value;
            }
            catch (Confluent.Kafka.KafkaException e)
            {
                logger.LogWarning(e, "Could not read the log start offset of {Topic}[{Partition}]; offset jumps there are recorded as gaps", topic, partition);
            }

            gaps.AddRange(jumps.Where(j => logStart is not { } start || start > j.Expected)
                .Select(j => new OffsetGap(consumerGroup, topic, partition, j.Expected, j.Resumed, logStart)));
        }

        await RecordAsync(connection, consumerGroup, partitions.Select(p => (p.Topic, p.Partition, p.Offsets[^1] + 1)), gaps, cancellationToken);
        return gaps;
    }

    private static async Task<Dictionary<(string, int), long>> ReadExpectedAsync(
        NpgsqlConnection connection, string consumerGroup, List<(string Topic, int Partition, long[] Offsets)> partitions, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT o.topic, o.partition, o.next_offset
            FROM staging.stream_partition_offsets o
            JOIN unnest(@topics, @partitions) AS b(topic, partition) USING (topic, partition)
            WHERE o.consumer_group = @group
            FOR UPDATE OF o
            """,
            connection);
        command.Parameters.AddWithValue("group", consumerGroup);
        command.Parameters.AddWithValue("topics", partitions.Select(p => p.Topic).ToArray());
        command.Parameters.AddWithValue("partitions", partitions.Select(p => p.Partition).ToArray());
        var expected = new Dictionary<(string, int), long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            expected[(reader.GetString(0), reader.GetInt32(1))] = reader.GetInt64(2);
        }

        return expected;
    }

    private static async Task RecordAsync(
        NpgsqlConnection connection,
        string consumerGroup,
        IEnumerable<(string Topic, int Partition, long Next)> positions,
        List<OffsetGap> gaps,
        CancellationToken cancellationToken)
    {
        var next = positions.ToList();
        await using var batch = new NpgsqlBatch(connection);
        var upsert = new NpgsqlBatchCommand(
            """
            INSERT INTO staging.stream_partition_offsets (consumer_group, topic, partition, next_offset)
            SELECT @group, * FROM unnest(@topics, @partitions, @next)
            ON CONFLICT (consumer_group, topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now()
            """);
        upsert.Parameters.AddWithValue("group", consumerGroup);
        upsert.Parameters.AddWithValue("topics", next.Select(p => p.Topic).ToArray());
        upsert.Parameters.AddWithValue("partitions", next.Select(p => p.Partition).ToArray());
        upsert.Parameters.AddWithValue("next", next.Select(p => p.Next).ToArray());
        batch.BatchCommands.Add(upsert);
        if (gaps.Count > 0)
        {
            var insert = new NpgsqlBatchCommand(
                """
                INSERT INTO staging.stream_offset_gaps (consumer_group, topic, partition, expected_offset, resumed_offset, log_start_offset)
                SELECT @group, * FROM unnest(@topics, @partitions, @expected, @resumed, @start)
                ON CONFLICT ON CONSTRAINT stream_offset_gaps_position_key DO NOTHING
                """);
            insert.Parameters.AddWithValue("group", consumerGroup);
            insert.Parameters.AddWithValue("topics", gaps.Select(g => g.Topic).ToArray());
            insert.Parameters.AddWithValue("partitions", gaps.Select(g => g.Partition).ToArray());
            insert.Parameters.AddWithValue("expected", gaps.Select(g => g.ExpectedOffset).ToArray());
            insert.Parameters.AddWithValue("resumed", gaps.Select(g => g.ResumedOffset).ToArray());
            insert.Parameters.AddWithValue("start", gaps.Select(g => g.LogStartOffset).ToArray());
            batch.BatchCommands.Add(insert);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
