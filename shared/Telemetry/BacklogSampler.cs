using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ToxicFunctions.Pipeline;
using ToxicFunctions.Streaming;
using ToxicFunctions.Training;

namespace ToxicFunctions.Telemetry;

/// <summary>
/// Measures the two backlogs every <see cref="TelemetryOptions.SampleInterval"/> into <see cref="ToxicMetrics"/>: the
/// stream function's consumer lag (settings <c>Kafka:Topic</c>, <c>Kafka:ConsumerGroup</c>) and the encoding timer's
/// backlog. A measurement that fails removes its series (a stale figure would hide the failure) and logs a warning once
/// until it succeeds again.
/// </summary>
public sealed class BacklogSampler(
    ToxicMetrics metrics,
    CommentEncodingStore encodings,
    IOptions<KafkaOptions> kafka,
    IOptions<TelemetryOptions> options,
    ILogger<BacklogSampler> logger) : BackgroundService
{
    /// <summary>Most missing comments the backlog search counts (the search hashes each staged text it passes).</summary>
    public const int EncoderBacklogCap = 100_000;

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private bool _lagFailing;
    private bool _backlogFailing;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var admin = new AdminClientBuilder(AdminConfig(kafka.Value))
            .SetLogHandler((_, message) => logger.LogDebug("librdkafka {Facility}: {Message}", message.Facility, message.Message))
            .Build();
        using var timer = new PeriodicTimer(options.Value.SampleInterval);
        do
        {
            await SampleOnceAsync(admin, stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>The admin client's settings: brokers and the Kafka security settings.</summary>
    public static AdminClientConfig AdminConfig(KafkaOptions kafka)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        var config = new AdminClientConfig { BootstrapServers = kafka.BootstrapServers };
        KafkaSecurity.Apply(config, kafka);
        return config;
    }

    /// <summary>Measures both backlogs once.</summary>
    internal async Task SampleOnceAsync(IAdminClient admin, CancellationToken cancellationToken)
    {
        try
        {
            metrics.SetConsumerLag(await ConsumerLag.MeasureAsync(admin, kafka.Value.Topic, kafka.Value.ConsumerGroup, RequestTimeout));
            _lagFailing = false;
        }
        catch (KafkaException e)
        {
            metrics.SetConsumerLag([]);
            if (!_lagFailing)
            {
                logger.LogWarning(e, "Could not measure the consumer lag of group {Group} on {Topic}", kafka.Value.ConsumerGroup, kafka.Value.Topic);
                _lagFailing = true;
            }
        }

        try
        {
            metrics.SetEncoderBacklog(await encodings.CountBacklogAsync(new FeatureSettings(), EncoderBacklogCap, cancellationToken));
            _backlogFailing = false;
        }
        catch (Npgsql.NpgsqlException e)
        {
            metrics.SetEncoderBacklog(null);
            if (!_backlogFailing)
            {
                logger.LogWarning(e, "Could not measure the encoder backlog");
                _backlogFailing = true;
            }
        }
    }
}
