namespace ToxicFunctions.Streaming;

/// <summary>Settings of the Kafka connection and the change-event topic (section <c>Kafka</c>).</summary>
public sealed class KafkaOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Kafka";

    /// <summary>The default <see cref="Topic"/>: Debezium's <c>topic.prefix.schema.table</c> with prefix <c>toxic</c>.</summary>
    public const string DefaultTopic = "toxic.source.comments";

    /// <summary>The default <see cref="ConsumerGroup"/>.</summary>
    public const string DefaultConsumerGroup = "toxic-staging";

    /// <summary>Comma-separated brokers, e.g. 127.0.0.1:9092.</summary>
    public string BootstrapServers { get; set; } = "127.0.0.1:9092";

    /// <summary>The topic of the source comments table's change events: <c>&lt;prefix&gt;.source.comments</c>.</summary>
    public string Topic { get; set; } = DefaultTopic;

    /// <summary>The consumer group of the stream function.</summary>
    public string ConsumerGroup { get; set; } = DefaultConsumerGroup;

    /// <summary>Most events handed to one invocation of the stream function.</summary>
    public int MaxBatchSize { get; set; } = 1000;
}
