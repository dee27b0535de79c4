using Confluent.Kafka;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Streaming;

/// <summary>
/// Events the broker deleted before the consumer read them (retention ran ahead of a lagging or stopped consumer) are
/// an offset gap: the consumer records it, and still applies what the broker holds. Forced on the dev broker, whose
/// partitions keep 5 MiB: with the consumer stopped, more than that is produced into one partition.
/// </summary>
public sealed class OffsetGapTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Events_deleted_before_they_were_consumed_are_recorded_as_a_gap()
    {
        var scenario = new StreamScenario(database);
        var partition = new TopicPartition(scenario.Topic, 0);
        using var producer = StreamScenario.Producer();

        // The consumer group reads one event and commits: it now expects offset 1 on partition 0.
        await producer.ProduceAsync(partition, Event(Guid.NewGuid(), lsn: 1));
        await using (await scenario.StartAsync(relay: false))
        {
            await WaitAsync(() => scenario.CountAsync("SELECT count(*) FROM staging.stream_comments"), 1);
        }

        // Stopped, it misses 6,000 events of ~1.2 KB: the broker keeps the newest 5 MiB of them and deletes the rest.
        const int Flood = 6_000;
        for (var i = 0; i < Flood; i++)
        {
            producer.Produce(partition, Event(Guid.NewGuid(), lsn: 100 + (ulong)i));
        }

        producer.Flush(TimeSpan.FromSeconds(30));
        using var admin = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = TestSettings.Configuration["Kafka:BootstrapServers"], GroupId = "gap-test" }).Build();
        var logStart = admin.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10)).Low.Value;
        Assert.True(logStart > 1, $"the broker still holds offset 1 (log start {logStart}): the flood did not force a gap");

        // Started again, the consumer's offset reset skips to the log start; the gap is recorded, the rest applied.
        await using (await scenario.StartAsync(relay: false))
        {
            await WaitAsync(() => scenario.CountAsync("SELECT count(*) FROM staging.stream_comments"), 1 + Flood + 1 - logStart);
        }

        await using var command = database.DataSource.CreateCommand(
            "SELECT consumer_group, partition, expected_offset, resumed_offset, missing_events, log_start_offset FROM staging.stream_offset_gaps WHERE topic = @topic");
        command.Parameters.AddWithValue("topic", scenario.Topic);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "no offset gap was recorded");
        Assert.Equal(scenario.Settings(false, true)["Kafka:ConsumerGroup"], reader.GetString(0));
        Assert.Equal(0, reader.GetInt32(1));
        Assert.Equal(1, reader.GetInt64(2));
        Assert.True(reader.GetInt64(3) >= logStart);
        Assert.Equal(reader.GetInt64(3) - 1, reader.GetInt64(4));
        Assert.True(reader.GetInt64(5) >= logStart);
        Assert.False(await reader.ReadAsync(), "one gap, recorded once");
    }

    private static Message<byte[]?, byte[]?> Event(Guid id, ulong lsn)
    {
        var (key, value) = SourceCommentEvents.Event(id, 'c', $"Comment {lsn}: " + string.Concat(Enumerable.Repeat("padding words ", 80)), lsn, lsn);
        return new Message<byte[]?, byte[]?> { Key = key, Value = value };
    }

    private static async Task WaitAsync(Func<Task<long>> count, long atLeast)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        long seen;
        while ((seen = await count()) < atLeast)
        {
            Assert.True(DateTime.UtcNow < deadline, $"staging holds {seen} rows, expected at least {atLeast}");
            await Task.Delay(200);
        }
    }
}
