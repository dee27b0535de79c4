using Confluent.Kafka;
using ToxicFunctions.Streaming;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Streaming;

/// <summary>Consumer lag measured through the admin API of the real (dev) broker.</summary>
public sealed class ConsumerLagTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Lag_is_the_events_past_the_committed_offset_or_all_of_them_before_any_commit()
    {
        var bootstrap = TestSettings.Configuration["Kafka:BootstrapServers"];
        var topic = $"lag{Guid.NewGuid():N}";
        var group = $"group{Guid.NewGuid():N}";
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        using (var producer = StreamScenario.Producer())
        {
            for (var i = 0; i < 10; i++)
            {
                producer.Produce(new TopicPartition(topic, 0), new Message<byte[]?, byte[]?> { Value = [(byte)i] });
            }

            for (var i = 0; i < 4; i++)
            {
                producer.Produce(new TopicPartition(topic, 1), new Message<byte[]?, byte[]?> { Value = [(byte)i] });
            }

            producer.Flush(s_timeout);
        }

        // The dev broker created the topic on first use (it has no topic admin API), with more partitions than two.
        var partitions = admin.GetMetadata(topic, s_timeout).Topics.Single().Partitions.Count;
        var idle = Enumerable.Range(2, partitions - 2).Select(p => new ConsumerLag(topic, p, 0));
        var before = await ConsumerLag.MeasureAsync(admin, topic, group, s_timeout);
        Assert.Equal([new ConsumerLag(topic, 0, 10), new ConsumerLag(topic, 1, 4), .. idle], before.OrderBy(l => l.Partition));

        // The group consumed six events of partition 0 and all of partition 1.
        using (var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = group }).Build())
        {
            consumer.Commit([new TopicPartitionOffset(topic, 0, 6), new TopicPartitionOffset(topic, 1, 4)]);
        }

        var after = await ConsumerLag.MeasureAsync(admin, topic, group, s_timeout);
        Assert.Equal([new ConsumerLag(topic, 0, 4), new ConsumerLag(topic, 1, 0), .. idle], after.OrderBy(l => l.Partition));
    }

    [Fact]
    public async Task A_missing_topic_is_an_error_not_a_zero_lag()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = TestSettings.Configuration["Kafka:BootstrapServers"] }).Build();
        await Assert.ThrowsAnyAsync<KafkaException>(() => ConsumerLag.MeasureAsync(admin, $"missing{Guid.NewGuid():N}", "g", s_timeout));
    }
}
