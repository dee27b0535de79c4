using System.Runtime.InteropServices;

namespace Toxic.KafkaDevBroker;

/// <summary>
/// The librdkafka mock-cluster functions that Confluent.Kafka does not wrap. They must bind to the very
/// library Confluent.Kafka loaded (on Debian 12 its bundled <c>centos8-librdkafka.so</c>), so
/// <see cref="Load"/> lets Confluent.Kafka load it, finds that file in /proc/self/maps and resolves
/// "librdkafka" to it.
/// </summary>
internal static partial class Librdkafka
{
    private const string Name = "librdkafka";
    public const int ProducerType = 0; // RD_KAFKA_PRODUCER

    private static readonly Lazy<nint> Library = new(LoadSameLibrary);

    public static void Load() => _ = Library.Value;

    private static nint LoadSameLibrary()
    {
        Confluent.Kafka.Library.Load();
        var path = File.ReadLines("/proc/self/maps")
            .Select(line => line.IndexOf('/', StringComparison.Ordinal) is var i and >= 0 ? line[i..] : "")
            .FirstOrDefault(path => Path.GetFileName(path).Contains(Name, StringComparison.Ordinal))
            ?? throw new InvalidOperationException("librdkafka is not mapped into this process after Library.Load()");
        var handle = NativeLibrary.Load(path);
        NativeLibrary.SetDllImportResolver(typeof(Librdkafka).Assembly, (name, _, _) => name == Name ? handle : 0);
        return handle;
    }

    [LibraryImport(Name)]
    public static partial nint rd_kafka_conf_new();

    /// <summary>Returns RD_KAFKA_CONF_OK (0) on success.</summary>
    [LibraryImport(Name, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rd_kafka_conf_set(nint conf, string name, string value, [Out] byte[] errstr, nuint errstrSize);

    /// <summary>Takes ownership of <paramref name="conf"/> on success.</summary>
    [LibraryImport(Name)]
    public static partial nint rd_kafka_new(int type, nint conf, [Out] byte[] errstr, nuint errstrSize);

    [LibraryImport(Name)]
    public static partial void rd_kafka_conf_destroy(nint conf);

    [LibraryImport(Name)]
    public static partial void rd_kafka_destroy(nint rk);

    [LibraryImport(Name)]
    public static partial nint rd_kafka_mock_cluster_new(nint rk, int brokerCount);

    [LibraryImport(Name)]
    public static partial void rd_kafka_mock_cluster_destroy(nint cluster);

    /// <summary>Returns a <c>const char*</c> owned by the cluster: read it, never free it.</summary>
    [LibraryImport(Name)]
    public static partial nint rd_kafka_mock_cluster_bootstraps(nint cluster);

    [LibraryImport(Name)]
    public static partial void rd_kafka_mock_set_controller_id(nint cluster, int brokerId);

    [LibraryImport(Name)]
    public static partial void rd_kafka_mock_group_initial_rebalance_delay_ms(nint cluster, int delayMs);

    [LibraryImport(Name, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void rd_kafka_mock_broker_set_host_port(nint cluster, int brokerId, string host, int port);

    [LibraryImport(Name, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rd_kafka_mock_topic_create(nint cluster, string topic, int partitions, int replicationFactor);
}
