using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace ToxicFunctions.Streaming;

/// <summary>
/// Builds the Kafka producer of the CDC relay (settings <c>Kafka:BootstrapServers</c>, the Kafka security settings, <c>Cdc:CompressionType</c>):
/// idempotent, acks from all replicas, the Java client's partitioner as Debezium uses it. Tests substitute
/// <see cref="Create"/> to run the relay without a broker.
/// </summary>
public class CdcProducerFactory(IOptions<KafkaOptions> kafka, IOptions<CdcOptions> options)
{
    /// <summary>The producer's settings, with the Kafka security settings (<see cref="KafkaSecurity"/>).</summary>
    public ProducerConfig Config()
    {
        var config = new ProducerConfig
        {
            BootstrapServers = kafka.Value.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 5,
            Partitioner = Partitioner.Murmur2Random, // the Java client's default, which Debezium uses
            CompressionType = options.Value.CompressionType,
        };
        KafkaSecurity.Apply(config, kafka.Value);
        return config;
    }

    /// <summary>
    /// A new producer, owned (and disposed) by the caller. Keys and values are UTF-8 JSON; a null key is a truncate
    /// event's, a null value a tombstone.
    /// </summary>
    public virtual IProducer<byte[]?, byte[]?> Create() => new ProducerBuilder<byte[]?, byte[]?>(Config()).Build();
}
