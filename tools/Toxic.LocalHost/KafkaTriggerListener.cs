using System.Reflection;
using Confluent.Kafka;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ToxicFunctions.Functions.Streaming;
using ToxicFunctions.Streaming;

namespace ToxicFunctions.LocalHost;

/// <summary>
/// The Kafka trigger of the local host, with the Functions host's batch semantics: consume up to MaxBatchSize events,
/// invoke <see cref="StreamCommentChanges"/> with them, and commit their offsets only after it succeeds. A failing
/// batch is retried as the function's retry attribute says; when retries run out its offsets stay uncommitted and the
/// batch is read again, so nothing is skipped. The consumer runs on a thread of its own (Confluent.Kafka's Consume blocks).
/// </summary>
internal sealed class KafkaTriggerListener(
    IServiceScopeFactory scopes,
    IOptions<KafkaOptions> kafka,
    IOptions<KafkaTriggerOptions> options,
    ILogger<KafkaTriggerListener> logger) : BackgroundService
{
    private static readonly ExponentialBackoffRetryAttribute s_retry =
        typeof(StreamCommentChanges).GetMethod(nameof(StreamCommentChanges.RunAsync))!.GetCustomAttribute<ExponentialBackoffRetryAttribute>()!;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.Enabled
            ? Task.Factory.StartNew(() => Run(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default)
            : Task.CompletedTask;

    private void Run(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                Consume(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A consumer that broke (a fatal client error) is replaced; uncommitted events are read again.
                logger.LogError(e, "The Kafka consumer of StreamCommentChanges failed; starting a new one");
                stoppingToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
            }
        }
    }

    private void Consume(CancellationToken stoppingToken)
    {
        var settings = kafka.Value;
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = settings.BootstrapServers,
            GroupId = settings.ConsumerGroup,
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            SessionTimeoutMs = 6000,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,

            // A topic that does not exist yet (the relay creates it with its first event) is looked up again soon.
            TopicMetadataRefreshIntervalMs = 1000,

            // Low latency over fewer fetches: a fetch returns after at most this long even when little arrived.
            FetchWaitMaxMs = 20,
        }).Build();
        consumer.Subscribe(settings.Topic);
        logger.LogInformation("Kafka trigger StreamCommentChanges consumes {Topic} as group {Group}", settings.Topic, settings.ConsumerGroup);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                List<ConsumeResult<byte[]?, byte[]?>> batch;
                try
                {
                    batch = ReadBatch(consumer, settings.MaxBatchSize, stoppingToken);
                }
                catch (ConsumeException e) when (!e.Error.IsFatal)
                {
                    // For example the topic does not exist yet: the relay creates it with its first event.
                    logger.LogDebug("Kafka: {Reason}; waiting", e.Error.Reason);
                    stoppingToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(500));
                    continue;
                }

                if (batch.Count > 0 && Invoke(batch, stoppingToken))
                {
                    Commit(consumer, batch);
                }
                else if (batch.Count > 0)
                {
                    Rewind(consumer, batch);
                }
            }
        }
        finally
        {
            consumer.Close();
        }
    }

    private List<ConsumeResult<byte[]?, byte[]?>> ReadBatch(IConsumer<byte[]?, byte[]?> consumer, int maxBatchSize, CancellationToken stoppingToken)
    {
        var batch = new List<ConsumeResult<byte[]?, byte[]?>>();
        var first = consumer.Consume(stoppingToken);
        if (first?.Message is null)
        {
            return batch;
        }

        batch.Add(first);
        var deadline = DateTime.UtcNow + options.Value.BatchWindow;
        while (batch.Count < maxBatchSize)
        {
            var wait = deadline - DateTime.UtcNow;
            var next = consumer.Consume(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
            if (next?.Message is null)
            {
                break;
            }

            batch.Add(next);
        }

        return batch;
    }

    private bool Invoke(List<ConsumeResult<byte[]?, byte[]?>> batch, CancellationToken stoppingToken)
    {
        var records = batch.Select(r => new KafkaRecord
        {
            Topic = r.Topic,
            Partition = r.Partition.Value,
            Offset = r.Offset.Value,
            Key = r.Message.Key,
            Value = r.Message.Value,
            Timestamp = r.Message.Timestamp.Type == TimestampType.NotAvailable ? null : r.Message.Timestamp.UtcDateTime,
        }).ToArray();
        var delay = TimeSpan.Parse(s_retry.MinimumInterval, System.Globalization.CultureInfo.InvariantCulture);
        var maximum = TimeSpan.Parse(s_retry.MaximumInterval, System.Globalization.CultureInfo.InvariantCulture);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var scope = scopes.CreateScope();
                scope.ServiceProvider.GetRequiredService<StreamCommentChanges>().RunAsync(records, stoppingToken).GetAwaiter().GetResult();
                return true;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                if (attempt >= s_retry.MaxRetryCount)
                {
                    logger.LogError(e, "StreamCommentChanges failed {Attempts} times; its {Count} events stay uncommitted and are read again", attempt + 1, records.Length);
                    return false;
                }

                logger.LogWarning(e, "StreamCommentChanges failed; retry {Attempt} in {Delay}", attempt + 1, delay);
                stoppingToken.WaitHandle.WaitOne(delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, maximum.Ticks));
            }
        }
    }

    private void Commit(IConsumer<byte[]?, byte[]?> consumer, List<ConsumeResult<byte[]?, byte[]?>> batch)
    {
        var offsets = batch.GroupBy(r => r.TopicPartition)
            .Select(g => new TopicPartitionOffset(g.Key, new Offset(g.Max(r => r.Offset.Value) + 1)))
            .ToList();
        try
        {
            consumer.Commit(offsets);
        }
        catch (KafkaException e)
        {
            // Partitions moved to another consumer mid-batch: it reads those events again; applying them twice is harmless.
            logger.LogWarning(e, "Committing offsets failed after a rebalance; the new owner will re-read them");
        }
    }

    private static void Rewind(IConsumer<byte[]?, byte[]?> consumer, List<ConsumeResult<byte[]?, byte[]?>> batch)
    {
        foreach (var first in batch.GroupBy(r => r.TopicPartition).Select(g => g.MinBy(r => r.Offset.Value)!))
        {
            if (consumer.Assignment.Contains(first.TopicPartition))
            {
                consumer.Seek(first.TopicPartitionOffset);
            }
        }
    }
}
