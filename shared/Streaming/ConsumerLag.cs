using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace ToxicFunctions.Streaming;

/// <summary>
/// The consumer lag of one partition: events at or past the group's committed offset that it has not consumed
/// (<c>end - committed</c>, or <c>end - earliest</c> while the group has committed nothing, since it then starts at the
/// earliest event). The figure KEDA's Kafka scaler and Burrow compute.
/// </summary>
/// <param name="Topic">The topic.</param>
/// <param name="Partition">The partition.</param>
/// <param name="Events">Events not yet consumed by the group (0 or more).</param>
public sealed record ConsumerLag(string Topic, int Partition, long Events)
{
    /// <summary>
    /// Measures the lag of <paramref name="group"/> on every partition of <paramref name="topic"/> through
    /// <paramref name="admin"/>: the topic's partitions (DescribeTopics), the group's committed offsets (OffsetFetch) and
    /// each partition's earliest and end offsets (ListOffsets).
    /// </summary>
    /// <exception cref="KafkaException">The broker refused a request or did not answer within <paramref name="timeout"/>.</exception>
    public static async Task<IReadOnlyList<ConsumerLag>> MeasureAsync(IAdminClient admin, string topic, string group, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var description = await admin.DescribeTopicsAsync(
            TopicCollection.OfTopicNames([topic]), new DescribeTopicsOptions { RequestTimeout = timeout });
        var partitions = description.TopicDescriptions.Single().Partitions
            .Select(p => new TopicPartition(topic, p.Partition))
            .ToList();
        if (partitions.Count == 0)
        {
            return [];
        }

        var committed = (await admin.ListConsumerGroupOffsetsAsync(
                [new ConsumerGroupTopicPartitions(group, partitions)], new ListConsumerGroupOffsetsOptions { RequestTimeout = timeout }))
            .Single().Partitions
            .ToDictionary(p => p.TopicPartition, p => p.Offset);
        var earliest = await OffsetsAsync(admin, partitions, OffsetSpec.Earliest(), timeout);
        var end = await OffsetsAsync(admin, partitions, OffsetSpec.Latest(), timeout);
        return partitions
            .Select(p =>
            {
                var from = committed.TryGetValue(p, out var offset) && offset.Value >= 0 ? Math.Max(offset.Value, earliest[p]) : earliest[p];
                return new ConsumerLag(topic, p.Partition.Value, Math.Max(0, end[p] - from));
            })
            .ToList();
    }

    private static async Task<Dictionary<TopicPartition, long>> OffsetsAsync(
        IAdminClient admin, List<TopicPartition> partitions, OffsetSpec spec, TimeSpan timeout)
    {
        var result = await admin.ListOffsetsAsync(
            partitions.Select(p => new TopicPartitionOffsetSpec { TopicPartition = p, OffsetSpec = spec }),
            new ListOffsetsOptions { RequestTimeout = timeout });
        return result.ResultInfos.ToDictionary(r => r.TopicPartitionOffsetError.TopicPartition, r => r.TopicPartitionOffsetError.Offset.Value);
    }
}
