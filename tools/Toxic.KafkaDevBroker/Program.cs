// Kafka dev broker: librdkafka's mock cluster on fixed loopback ports, with the project's topics pre-created.
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Confluent.Kafka;
using Toxic.KafkaDevBroker;

const string Host = "127.0.0.1";

BrokerOptions? options;
try
{
    options = BrokerOptions.Parse(args);
}
catch (FormatException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine(BrokerOptions.Usage);
    return 2;
}

if (options is null)
{
    Console.WriteLine(BrokerOptions.Usage);
    return 0;
}

var bootstrap = $"{Host}:{options.Port}";
var forwarders = new List<PortForwarder>();
try
{
    using var cluster = new MockCluster(options.Brokers);
    foreach (var topic in options.Topics)
    {
        cluster.CreateTopic(topic, replicationFactor: Math.Min(options.Brokers, 3));
    }

    // Each broker N gets the fixed port PORT+N-1: forward it to the broker's listener and advertise it.
    foreach (var broker in GetMetadata(cluster.Bootstraps).Brokers)
    {
        var port = options.Port + broker.BrokerId - 1;
        forwarders.Add(new PortForwarder(port, broker.Port));
        cluster.Advertise(broker.BrokerId, Host, port);
    }

    Verify(GetMetadata(bootstrap), options);
    Console.WriteLine(
        $"Kafka dev broker ready: bootstrap.servers={bootstrap} brokers={options.Brokers} " +
        $"topics={string.Join(',', options.Topics)} pid={Environment.ProcessId}");

    var stopped = new TaskCompletionSource();
    void Stop(PosixSignalContext context)
    {
        context.Cancel = true; // exit through the disposals below, not at once
        stopped.TrySetResult();
    }

    using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
    using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
    await stopped.Task;
    Console.WriteLine("Kafka dev broker stopped");
    return 0;
}
catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
{
    Console.Error.WriteLine($"error: a port in {Host}:{options.Port}..{options.Port + options.Brokers - 1} is in use: {e.Message}");
    return 1;
}
catch (Exception e) when (e is KafkaException or InvalidOperationException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
finally
{
    forwarders.ForEach(f => f.Dispose());
}

static Metadata GetMetadata(string bootstrapServers)
{
    using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
    return admin.GetMetadata(TimeSpan.FromSeconds(10));
}

// Checks, through the fixed ports as a client sees them, that every broker and topic is served.
static void Verify(Metadata metadata, BrokerOptions options)
{
    var ports = metadata.Brokers.Select(b => b.Port).Order().ToList();
    if (!ports.SequenceEqual(Enumerable.Range(options.Port, options.Brokers)))
    {
        throw new InvalidOperationException($"brokers advertise ports {string.Join(',', ports)}");
    }

    foreach (var topic in options.Topics)
    {
        var served = metadata.Topics.Find(t => t.Topic == topic.Name);
        if (served is null || served.Error.IsError || served.Partitions.Count != topic.Partitions)
        {
            throw new InvalidOperationException($"topic {topic} is not served ({served?.Error.Reason ?? "missing"})");
        }
    }
}
