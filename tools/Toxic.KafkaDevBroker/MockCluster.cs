using System.Runtime.InteropServices;
using System.Text;
using Confluent.Kafka;

namespace Toxic.KafkaDevBroker;

/// <summary>A librdkafka mock cluster: real Kafka protocol, in memory, brokers on ephemeral loopback ports.</summary>
internal sealed class MockCluster : IDisposable
{
    private readonly nint _client; // the rd_kafka_t the cluster needs for its bookkeeping
    private readonly nint _cluster;

    public MockCluster(int brokers)
    {
        Librdkafka.Load();
        var error = new byte[512];
        var conf = Librdkafka.rd_kafka_conf_new();
        // This client never connects anywhere: hide its notice that bootstrap.servers is not set.
        Librdkafka.rd_kafka_conf_set(conf, "log_level", "4", error, (nuint)error.Length);
        _client = Librdkafka.rd_kafka_new(Librdkafka.ProducerType, conf, error, (nuint)error.Length);
        if (_client == 0)
        {
            Librdkafka.rd_kafka_conf_destroy(conf);
            throw new InvalidOperationException($"rd_kafka_new failed: {Encoding.UTF8.GetString(error).Split('\0')[0]}");
        }

        _cluster = Librdkafka.rd_kafka_mock_cluster_new(_client, brokers);
        if (_cluster == 0)
        {
            Librdkafka.rd_kafka_destroy(_client);
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed");
        }

        // With a controller, admin calls fail fast instead of waiting for one; the first group join skips the 3 s delay.
        Librdkafka.rd_kafka_mock_set_controller_id(_cluster, 1);
        Librdkafka.rd_kafka_mock_group_initial_rebalance_delay_ms(_cluster, 0);
    }

    /// <summary>The brokers' own listeners, "127.0.0.1:port,...".</summary>
    public string Bootstraps => Marshal.PtrToStringUTF8(Librdkafka.rd_kafka_mock_cluster_bootstraps(_cluster)) ?? "";

    public void CreateTopic(TopicSpec topic, int replicationFactor)
    {
        var code = Librdkafka.rd_kafka_mock_topic_create(_cluster, topic.Name, topic.Partitions, replicationFactor);
        if (code != 0)
        {
            throw new KafkaException((ErrorCode)code);
        }
    }

    /// <summary>Makes Metadata responses name <paramref name="host"/>:<paramref name="port"/> for the broker.</summary>
    public void Advertise(int brokerId, string host, int port) =>
        Librdkafka.rd_kafka_mock_broker_set_host_port(_cluster, brokerId, host, port);

    public void Dispose()
    {
        Librdkafka.rd_kafka_mock_cluster_destroy(_cluster);
        Librdkafka.rd_kafka_destroy(_client);
    }
}
