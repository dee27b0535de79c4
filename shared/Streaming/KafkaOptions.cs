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

    /// <summary>Security protocol to the brokers (the Kafka trigger's <c>Protocol</c>); not set is plaintext.</summary>
    public KafkaProtocol Protocol { get; set; } = KafkaProtocol.NotSet;

    /// <summary>SASL mechanism (the Kafka trigger's <c>AuthenticationMode</c>); needs a SASL <see cref="Protocol"/>.</summary>
    public KafkaAuthenticationMode AuthenticationMode { get; set; } = KafkaAuthenticationMode.NotSet;

    /// <summary>SASL user name (sasl.username); for Azure Event Hubs <c>$ConnectionString</c>.</summary>
    public string? Username { get; set; }

    /// <summary>SASL password (sasl.password); for Azure Event Hubs the namespace's connection string. A secret.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// PEM file of the CA certificates that verify the brokers (ssl.ca.location), with a TLS <see cref="Protocol"/>;
    /// empty: the system's CA store.
    /// </summary>
    public string? SslCaLocation { get; set; }
}
