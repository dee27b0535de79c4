using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Npgsql;
using ToxicFunctions.Tests.Infrastructure;
using ToxicFunctions.Tokenization;

namespace ToxicFunctions.Tests.Streaming;

/// <summary>
/// One change-data-capture setup on the real services: a test database, its own slot, topic and consumer group, and
/// local hosts that run the relay and/or the Kafka trigger, started and killed as a test needs.
/// </summary>
internal sealed class StreamScenario(TestDatabase database)
{
    private readonly string _name = $"t{Guid.NewGuid():N}"[..16];

    public string Topic => $"{_name}.source.comments";

    private string SlotName => $"slot_{_name}";

    private string ConsumerGroup => $"group_{_name}";

    private static string? BootstrapServers => TestSettings.Configuration["Kafka:BootstrapServers"];

    public Dictionary<string, string?> Settings(bool relay, bool consumer) => new()
    {
        ["Postgres:ConnectionString"] = database.ConnectionString,
        ["Postgres:MigrateOnStartup"] = "false",
        ["LocalHost:BlobTrigger:Enabled"] = "false",
        ["LocalHost:CdcRelay:Enabled"] = relay ? "true" : "false",
        ["LocalHost:CdcRelay:RestartDelay"] = "00:00:00.200",
        ["LocalHost:KafkaTrigger:Enabled"] = consumer ? "true" : "false",
        ["Cdc:SlotName"] = SlotName,
        ["Cdc:TopicPrefix"] = _name,
        ["Kafka:Topic"] = Topic,
        ["Kafka:ConsumerGroup"] = ConsumerGroup,
    };

    /// <summary>
    /// Starts a local host (with <paramref name="extra"/> settings on top of the scenario's); with the relay, returns once
    /// its slot is streaming (snapshot taken), as a test needs.
    /// </summary>
    public async Task<RunningLocalHost> StartAsync(
        bool relay = true, bool consumer = true, IDictionary<string, string?>? extra = null, Action<WebApplicationBuilder>? configure = null)
    {
        var settings = Settings(relay, consumer);
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var host = await RunningLocalHost.StartAsync(settings, configure);
        if (relay)
        {
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (!await RelayStreamingAsync())
            {
                Assert.True(DateTime.UtcNow < deadline, "the relay did not start streaming within 90 s (a killed relay holds its slot until wal_sender_timeout)");
                await Task.Delay(50);
            }
        }

        return host;
    }

    public async Task InsertAsync(int count, int offset = 0)
    {
        await using var command = database.DataSource.CreateCommand(
            "INSERT INTO source.comments (comment_text, labels) SELECT 'Comment ' || g || ', you fool? ' || repeat('word ', g % 40), g % 2 FROM generate_series(@from, @to) g");
        command.Parameters.AddWithValue("from", offset + 1);
        command.Parameters.AddWithValue("to", offset + count);
        await command.ExecuteNonQueryAsync();
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public static IProducer<byte[]?, byte[]?> Producer() =>
        new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = BootstrapServers }).Build();

    /// <summary>Every message on the topic so far, read by partition up to each partition's end.</summary>
    public List<ConsumeResult<byte[]?, byte[]?>> ReadTopic()
    {
        var partitions = TopicPartitions(TopicMetadata());
        using var consumer = Reader($"reader_{Guid.NewGuid():N}");
        var remaining = partitions
            .Select(p => (Partition: p, End: consumer.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(10)).High.Value))
            .Where(p => p.End > 0)
            .ToDictionary(p => p.Partition, p => p.End);
        consumer.Assign(remaining.Keys.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        var messages = new List<ConsumeResult<byte[]?, byte[]?>>();
        while (remaining.Count > 0)
        {
            var result = consumer.Consume(TimeSpan.FromSeconds(10)) ?? throw new TimeoutException($"{Topic} stopped short of its end");
            messages.Add(result);
            if (result.Offset.Value + 1 >= remaining[result.TopicPartition])
            {
                remaining.Remove(result.TopicPartition);
            }
        }

        return messages;
    }

    /// <summary>Waits until staging.stream_comments equals source.comments, then checks token ids too.</summary>
    public async Task AssertStagingEqualsSourceAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        string? difference;
        while ((difference = await DifferenceAsync()) is not null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        if (difference is not null)
        {
            Assert.Fail($"staging.stream_comments differs from source.comments: {difference}; {await DiagnosisAsync()}");
        }

        await using var command = database.DataSource.CreateCommand(
            "SELECT comment_text, input_ids FROM staging.stream_comments WHERE NOT deleted");
        await using var reader = await command.ExecuteReaderAsync();
        var tokenizer = WordPieceTokenizer.DistilBertBaseUncased;
        while (await reader.ReadAsync())
        {
            Assert.Equal(tokenizer.Encode(reader.GetString(0)), reader.GetFieldValue<int[]>(1));
        }
    }

    private async Task<string?> DifferenceAsync()
    {
        await using var command = database.DataSource.CreateCommand(
            """
            SELECT (SELECT count(*) FROM source.comments),
                   (SELECT count(*) FROM staging.stream_comments WHERE NOT deleted),
                   (SELECT count(*) FROM source.comments s
                    FULL JOIN (SELECT * FROM staging.stream_comments WHERE NOT deleted) t ON t.source_id = s.id
                    WHERE s.id IS NULL OR t.source_id IS NULL OR s.comment_text IS DISTINCT FROM t.comment_text
                          OR s.labels IS DISTINCT FROM t.labels OR s.feedback IS DISTINCT FROM t.feedback)
            """);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (source, staging, mismatched) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        return mismatched == 0 ? null : $"{source} source rows, {staging} live staging rows, {mismatched} rows differ";
    }

    /// <summary>
    /// Where the events are, for a failure message: the slot's position against the server's, the topic's end offsets,
    /// the group's committed offsets and the consumer's own, dead letters and gaps.
    /// </summary>
    private async Task<string> DiagnosisAsync()
    {
        var parts = new List<string>();
        try
        {
            await using (var command = database.DataSource.CreateCommand(
                """
                SELECT format('slot active=%s confirmed=%s of wal %s; relay row %s; dead letters %s; offset gaps %s; consumer next offsets %s',
                    s.active, s.confirmed_flush_lsn, pg_current_wal_lsn(), r.slot_name IS NOT NULL,
                    (SELECT count(*) FROM staging.stream_dead_letters),
                    (SELECT count(*) FROM staging.stream_offset_gaps),
                    (SELECT coalesce(string_agg(partition || ':' || next_offset, ',' ORDER BY partition), 'none')
                     FROM staging.stream_partition_offsets WHERE topic = @topic))
                FROM (SELECT @slot AS slot_name) wanted
                LEFT JOIN pg_replication_slots s USING (slot_name)
                LEFT JOIN staging.cdc_relays r USING (slot_name)
                """))
            {
                command.Parameters.AddWithValue("slot", SlotName);
                command.Parameters.AddWithValue("topic", Topic);
                parts.Add((string)(await command.ExecuteScalarAsync())!);
            }

            var topic = TopicMetadata();
            if (topic.Error.IsError)
            {
                parts.Add($"topic: {topic.Error.Reason}");
                return string.Join("; ", parts);
            }

            var partitions = TopicPartitions(topic);
            using var consumer = Reader(ConsumerGroup);
            var ends = partitions.Select(p => $"{p.Partition.Value}:{consumer.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(10)).High.Value}");
            parts.Add($"{Topic} end offsets {string.Join(",", ends)}");
            var committed = consumer.Committed(partitions, TimeSpan.FromSeconds(10)).Select(c => $"{c.Partition.Value}:{c.Offset.Value}");
            parts.Add($"group committed {string.Join(",", committed)}");
        }
        catch (Exception e) when (e is NpgsqlException or KafkaException)
        {
            parts.Add($"diagnosis stopped: {e.Message}");
        }

        return string.Join("; ", parts);
    }

    private TopicMetadata TopicMetadata()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).Build();
        return admin.GetMetadata(Topic, TimeSpan.FromSeconds(10)).Topics.Single();
    }

    private List<TopicPartition> TopicPartitions(TopicMetadata topic) =>
        [.. topic.Partitions.Select(p => new TopicPartition(Topic, p.PartitionId)).OrderBy(p => p.Partition.Value)];

    /// <summary>A consumer of <paramref name="groupId"/> that never joins the group or commits: for assigned reads and offset queries.</summary>
    private static IConsumer<byte[]?, byte[]?> Reader(string groupId) =>
        new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig { BootstrapServers = BootstrapServers, GroupId = groupId, EnableAutoCommit = false }).Build();

    private async Task<bool> RelayStreamingAsync()
    {
        await using var command = database.DataSource.CreateCommand(
            "SELECT EXISTS (SELECT FROM staging.cdc_relays r JOIN pg_replication_slots s USING (slot_name) WHERE r.slot_name = @slot AND s.active)");
        command.Parameters.AddWithValue("slot", SlotName);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    public async Task<long> CountAsync(string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public NpgsqlDataSource DataSource => database.DataSource;
}
