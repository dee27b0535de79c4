using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using Confluent.Kafka;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ToxicFunctions.Functions.Ingestion;
using ToxicFunctions.LocalHost;
using ToxicFunctions.Orchestrations;
using ToxicFunctions.Streaming;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Functions;

/// <summary>
/// The local host serves every function of the Function App by the trigger its attributes declare, found by reflection
/// (not a hand-kept list): HTTP, timer, blob, Kafka, orchestrator and activity.
/// </summary>
public sealed class LocalHostTriggerTests
{
    private static readonly Assembly[] s_functionApp = [typeof(S3Events).Assembly, typeof(TrainingPipeline).Assembly];

    [Fact]
    public void Every_function_of_the_function_app_is_served_by_exactly_one_local_trigger()
    {
        // What the attributes declare, read here independently of the host's discovery: every [Function] method.
        var declared = s_functionApp.SelectMany(a => a.GetExportedTypes())
            .SelectMany(t => t.GetMethods())
            .Select(m => m.GetCustomAttribute<FunctionAttribute>()?.Name)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Contains("StreamCommentChanges", declared);
        Assert.Contains("IngestRawBlob", declared);
        Assert.Contains("ScheduledTrainingPipeline", declared);
        Assert.Contains("TrainingPipeline", declared);
        Assert.Contains("FailRun", declared);

        var functions = typeof(S3Events).Assembly;
        var served = HttpFunction.Discover(functions).Select(f => f.Name)
            .Concat(TimerFunction.Discover(functions).Select(f => f.Name))
            .Concat(BlobFunction.Discover(functions).Select(f => f.Name))
            .Concat(KafkaFunction.Discover(functions).Select(f => f.Name))
            .Concat(LocalPipelines.DurableAssemblies.SelectMany(DurableFunctionRegistration.Discover).Select(f => f.Name))
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(declared, served);
    }

    [Fact]
    public async Task The_host_starts_one_listener_per_blob_and_kafka_function_with_the_container_topic_and_group_of_its_attributes()
    {
        var app = LocalFunctionHost.Build(["--Postgres:ConnectionString=Host=127.0.0.1;Port=1", "--RawBlobContainer=raw-from-setting", "--Kafka:Topic=topic-from-setting"]);
        await using var _ = app;
        var hosted = app.Services.GetServices<IHostedService>().ToList();

        Assert.Equal(
            BlobFunction.Discover(typeof(S3Events).Assembly).Count,
            hosted.OfType<BlobTriggerPoller>().Count());
        Assert.Equal(
            KafkaFunction.Discover(typeof(S3Events).Assembly).Count,
            hosted.OfType<KafkaTriggerListener>().Count());

        var blob = Assert.Single(BlobFunction.Discover(typeof(S3Events).Assembly));
        Assert.Equal("raw-from-setting", blob.ContainerName(app.Configuration));
        var kafka = Assert.Single(KafkaFunction.Discover(typeof(S3Events).Assembly));
        Assert.Equal("topic-from-setting", kafka.ResolveTopic(app.Configuration));
        var consumer = kafka.ConsumerConfig(app.Configuration);
        Assert.Equal(app.Configuration["Kafka:BootstrapServers"], consumer.BootstrapServers);
        Assert.Equal(app.Configuration["Kafka:ConsumerGroup"], consumer.GroupId);
        Assert.Null(consumer.SecurityProtocol);
    }

    [Fact]
    public void Sasl_and_tls_settings_of_the_attribute_resolve_as_the_kafka_extension_resolves_them()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["EventHubs:Brokers"] = "toxic.servicebus.windows.net:9093",
            ["EventHubs:ConnectionString"] = "Endpoint=sb://toxic.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=abc",
            ["CaFile"] = "/etc/ssl/certs/ca-certificates.crt",
        }).Build();
        var function = Assert.Single(KafkaFunction.Discover(typeof(LocalHostTriggerTests).Assembly), f => f.Name == nameof(SaslKafkaFunction));

        var consumer = function.ConsumerConfig(configuration);

        Assert.Equal("toxic.servicebus.windows.net:9093", consumer.BootstrapServers); // an app setting's name: its value
        Assert.Equal("$Default", consumer.GroupId); // text that names no setting: itself
        Assert.Equal(SecurityProtocol.SaslSsl, consumer.SecurityProtocol);
        Assert.Equal(SaslMechanism.Plain, consumer.SaslMechanism);
        Assert.Equal("$ConnectionString", consumer.SaslUsername);
        Assert.Equal(configuration["EventHubs:ConnectionString"], consumer.SaslPassword); // %name%
        Assert.Equal("/etc/ssl/certs/ca-certificates.crt", consumer.SslCaLocation);

        var missing = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["EventHubs:Brokers"] = "b:9093" }).Build();
        var error = Assert.Throws<InvalidOperationException>(() => function.ConsumerConfig(missing));
        Assert.Contains("EventHubs:ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kafka_function_whose_parameters_the_host_cannot_bind_fails_at_start()
    {
        var function = Assert.Single(KafkaFunction.Discover(typeof(LocalHostTriggerTests).Assembly), f => f.Name == nameof(UnbindableKafkaFunction));

        var error = Assert.Throws<InvalidOperationException>(() => Listener(function, Settings("unused")));

        Assert.Contains(nameof(UnbindableKafkaFunction), error.Message, StringComparison.Ordinal);
        Assert.Contains("String", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kafka_function_declared_anywhere_is_invoked_record_by_record_with_key_headers_and_timestamp()
    {
        var topic = $"local-host-trigger-{Guid.NewGuid():N}";
        var function = Assert.Single(KafkaFunction.Discover(typeof(LocalHostTriggerTests).Assembly), f => f.Name == nameof(SingleRecordKafkaFunction));
        var configuration = Settings(topic);
        using (var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = configuration["Kafka:BootstrapServers"] }).Build())
        {
            for (var i = 0; i < 3; i++)
            {
                await producer.ProduceAsync(new TopicPartition(topic, new Partition(0)), new Message<byte[]?, byte[]?>
                {
                    Key = Encoding.UTF8.GetBytes($"k{i}"),
                    Value = Encoding.UTF8.GetBytes($"v{i}"),
                    Headers = new Headers { { "trace", Encoding.UTF8.GetBytes($"t{i}") } },
                });
            }
        }

        using var listener = Listener(function, configuration);
        await listener.StartAsync(CancellationToken.None);
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (SingleRecordKafkaFunction.Received(topic).Count < 3 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
        finally
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await listener.StopAsync(stopping.Token);
        }

        var records = SingleRecordKafkaFunction.Received(topic);
        Assert.Equal(["k0", "k1", "k2"], records.Select(r => Encoding.UTF8.GetString(r.Key!)));
        Assert.Equal(["v0", "v1", "v2"], records.Select(r => Encoding.UTF8.GetString(r.Value!)));
        Assert.Equal(["t0", "t1", "t2"], records.Select(r => Assert.Single(r.Headers).GetValueAsString()));
        Assert.Equal([0L, 1L, 2L], records.Select(r => r.Offset));
        Assert.All(records, r => Assert.Equal(KafkaTimestampType.CreateTime, r.Timestamp!.Type));
        Assert.All(records, r => Assert.InRange(r.Timestamp!.DateTimeOffset, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1)));
    }

    private static IConfiguration Settings(string topic) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Kafka:BootstrapServers"] = TestSettings.Configuration["Kafka:BootstrapServers"],
        ["Test:Topic"] = topic,
    }).Build();

    private static KafkaTriggerListener Listener(KafkaFunction function, IConfiguration configuration)
    {
        var services = new ServiceCollection().BuildServiceProvider();
        return new KafkaTriggerListener(
            function,
            services.GetRequiredService<IServiceScopeFactory>(),
            configuration,
            Options.Create(new KafkaOptions()),
            Options.Create(new KafkaTriggerOptions()),
            NullLogger<KafkaTriggerListener>.Instance);
    }
}

/// <summary>A Kafka function with the settings an Azure Event Hubs deployment gives its trigger.</summary>
public sealed class SaslKafkaFunction
{
    /// <summary>Never invoked.</summary>
    [Function(nameof(SaslKafkaFunction))]
    public Task RunAsync(
        [KafkaTrigger("EventHubs:Brokers", "comments", ConsumerGroup = "$Default", Protocol = BrokerProtocol.SaslSsl, AuthenticationMode = BrokerAuthenticationMode.Plain,
            Username = "$ConnectionString", Password = "%EventHubs:ConnectionString%", SslCaLocation = "CaFile")] KafkaRecord record) =>
        throw new NotSupportedException();
}

/// <summary>A Kafka function whose trigger parameter is a type the local host does not bind.</summary>
public sealed class UnbindableKafkaFunction
{
    /// <summary>Never invoked.</summary>
    [Function(nameof(UnbindableKafkaFunction))]
    public Task RunAsync([KafkaTrigger("Kafka:BootstrapServers", "%Test:Topic%", ConsumerGroup = "unbindable")] string value) =>
        throw new NotSupportedException();
}

/// <summary>A Kafka function that is not batched; it keeps what it receives by topic.</summary>
public sealed class SingleRecordKafkaFunction
{
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<KafkaRecord>> s_received = new();

    /// <summary>The records received from <paramref name="topic"/>, in order.</summary>
    public static IReadOnlyList<KafkaRecord> Received(string topic) => [.. s_received.GetOrAdd(topic, _ => new())];

    /// <summary>Keeps the record.</summary>
    [Function(nameof(SingleRecordKafkaFunction))]
    public static Task RunAsync([KafkaTrigger("Kafka:BootstrapServers", "%Test:Topic%", ConsumerGroup = "single-record-test")] KafkaRecord record, CancellationToken cancellationToken)
    {
        s_received.GetOrAdd(record.Topic, _ => new()).Enqueue(record);
        return Task.CompletedTask;
    }
}
