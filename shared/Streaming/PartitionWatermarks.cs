using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace ToxicFunctions.Streaming;

/// <summary>
/// Reads a partition's watermarks from the brokers: the log start offset (the oldest offset still held; retention moves
/// it forward) and the high watermark (the next offset to be written). One client, made on first use; thread-safe.
/// </summary>
public sealed class PartitionWatermarks(IOptions<KafkaOptions> options) : IDisposable
{
    private readonly Lazy<IConsumer<Ignore, Ignore>> _client = new(() => new ConsumerBuilder<Ignore, Ignore>(Config(options.Value)).Build());

    /// <summary>The client's settings: brokers, group and the Kafka security settings.</summary>
    public static ConsumerConfig Config(KafkaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = options.ConsumerGroup, // never joins: watermark queries need no group membership
        };
        KafkaSecurity.Apply(config, options);
        return config;
    }

    /// <summary>The partition's log start offset (low) and high watermark (high).</summary>
    /// <exception cref="KafkaException">The brokers did not answer within <paramref name="timeout"/> or refused.</exception>
    public WatermarkOffsets Query(string topic, int partition, TimeSpan timeout) =>
        _client.Value.QueryWatermarkOffsets(new TopicPartition(topic, partition), timeout);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }
}
