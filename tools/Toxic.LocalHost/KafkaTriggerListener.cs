using System.Reflection;
using Confluent.Kafka;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ToxicFunctions.Functions.Streaming;
using ToxicFunctions.Streaming;

namespace ToxicFunctions.LocalHost;

/// <summary>
/// The Kafka trigger of the local host, with the Functions Kafka extension's semantics: one consumer of the group, and
/// one executor per assigned partition that invokes <see cref="StreamCommentChanges"/> with batches of up to
/// MaxBatchSize events of that partition, in order, while the executors of other partitions run at the same time. An
/// executor stores a batch's offsets only after the function succeeded, and the consumer commits stored offsets every
/// <see cref="KafkaTriggerOptions.CommitInterval"/> (the extension's AutoCommitIntervalMs). A failing batch is retried
/// as the function's retry attribute says, and then again at its longest interval until it succeeds or the partition
/// moves elsewhere: its offsets are never stored before that, so nothing is skipped. The consumer runs on a thread of
/// its own (Confluent.Kafka's Consume blocks).
/// </summary>
internal sealed class KafkaTriggerListener(
    IServiceScopeFactory scopes,
    IOptions<KafkaOptions> kafka,
    IOptions<KafkaTriggerOptions> options,
    ILogger<KafkaTriggerListener> logger) : BackgroundService
{
    private static readonly ExponentialBackoffRetryAttribute s_retry =
        typeof(StreamCommentChanges).GetMethod(nameof(StreamCommentChanges.RunAsync))!.GetCustomAttribute<ExponentialBackoffRetryAttribute>()!;

    private KafkaOptions Kafka => kafka.Value;

    private KafkaTriggerOptions Options => options.Value;

    private ILogger Logger => logger;

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
                // A consumer that broke (a fatal client error) is replaced; events whose offsets were not stored are read again.
                logger.LogError(e, "The Kafka consumer of StreamCommentChanges failed; starting a new one");
                stoppingToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
            }
        }
    }

    private void Consume(CancellationToken stoppingToken)
    {
        var settings = kafka.Value;
        var executors = new Dictionary<TopicPartition, PartitionExecutor>();
        void Stop(IEnumerable<TopicPartition> partitions)
        {
            foreach (var partition in partitions)
            {
                if (executors.Remove(partition, out var executor))
                {
                    executor.StopAsync().GetAwaiter().GetResult();
                }
            }
        }

        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = settings.BootstrapServers,
            GroupId = settings.ConsumerGroup,
            EnableAutoCommit = true,
            EnableAutoOffsetStore = false,
            AutoCommitIntervalMs = (int)options.Value.CommitInterval.TotalMilliseconds,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            SessionTimeoutMs = 6000,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,

            // A topic that does not exist yet (the relay creates it with its first event) is looked up again soon.
            TopicMetadataRefreshIntervalMs = 1000,

            // Low latency over fewer fetches: a fetch returns after at most this long even when little arrived.
            FetchWaitMaxMs = 20,
        })
            // Before a partition goes to another consumer, its executor finishes the batch it runs (storing its offsets,
            // which the commit on revocation sends); the events it had not started are read again by the new owner.
            .SetPartitionsRevokedHandler((_, partitions) => Stop(partitions.Select(p => p.TopicPartition)))
            .SetPartitionsLostHandler((_, partitions) => Stop(partitions.Select(p => p.TopicPartition)))
            .Build();
        consumer.Subscribe(settings.Topic);
        logger.LogInformation("Kafka trigger StreamCommentChanges consumes {Topic} as group {Group}", settings.Topic, settings.ConsumerGroup);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                ConsumeResult<byte[]?, byte[]?>? result;
                try
                {
                    result = consumer.Consume(stoppingToken);
                }
                catch (ConsumeException e) when (!e.Error.IsFatal)
                {
                    // For example the topic does not exist yet: the relay creates it with its first event.
                    logger.LogDebug("Kafka: {Reason}; waiting", e.Error.Reason);
                    stoppingToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(500));
                    continue;
                }

                if (result?.Message is null)
                {
                    continue;
                }

                if (!executors.TryGetValue(result.TopicPartition, out var executor))
                {
                    executor = new PartitionExecutor(this, consumer, result.TopicPartition, stoppingToken);
                    executors[result.TopicPartition] = executor;
                }

                executor.Post(result);
            }
        }
        finally
        {
            Stop(executors.Keys.ToList());
            consumer.Close();
        }
    }

    /// <summary>Invokes the function once; throws what it throws.</summary>
    private async Task InvokeAsync(KafkaRecord[] records, CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<StreamCommentChanges>().RunAsync(records, stoppingToken);
    }

    /// <summary>
    /// The executor of one partition: takes its events in order from a bounded queue, invokes the function with batches
    /// of them (the first event and what follows within the batch window, up to MaxBatchSize), stores the offsets of a
    /// batch that succeeded.
    /// </summary>
    private sealed class PartitionExecutor
    {
        private readonly KafkaTriggerListener _listener;
        private readonly IConsumer<byte[]?, byte[]?> _consumer;
        private readonly TopicPartition _partition;
        private readonly System.Threading.Channels.Channel<ConsumeResult<byte[]?, byte[]?>> _queue;
        private readonly CancellationTokenSource _revoked;
        private readonly Task _loop;

        public PartitionExecutor(KafkaTriggerListener listener, IConsumer<byte[]?, byte[]?> consumer, TopicPartition partition, CancellationToken stoppingToken)
        {
            _listener = listener;
            _consumer = consumer;
            _partition = partition;
            var capacity = Math.Max(2 * listener.Kafka.MaxBatchSize, 100);
            _queue = System.Threading.Channels.Channel.CreateBounded<ConsumeResult<byte[]?, byte[]?>>(
                new System.Threading.Channels.BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
            _revoked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            _loop = Task.Run(() => RunAsync(stoppingToken), CancellationToken.None);
        }

        /// <summary>Queues an event; waits while the queue is full (the consumer then stops fetching: backpressure).</summary>
        public void Post(ConsumeResult<byte[]?, byte[]?> result)
        {
            while (!_queue.Writer.TryWrite(result))
            {
                try
                {
                    if (!_queue.Writer.WaitToWriteAsync(_revoked.Token).AsTask().GetAwaiter().GetResult())
                    {
                        return;
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        /// <summary>Lets the running batch finish, drops the queued events, and ends the executor.</summary>
        public async Task StopAsync()
        {
            _queue.Writer.TryComplete();
            await _revoked.CancelAsync();
            await _loop;
            _revoked.Dispose();
        }

        private async Task RunAsync(CancellationToken stoppingToken)
        {
            var settings = _listener.Options;
            var maxBatchSize = _listener.Kafka.MaxBatchSize;
            try
            {
                while (await _queue.Reader.WaitToReadAsync(_revoked.Token))
                {
                    var batch = new List<ConsumeResult<byte[]?, byte[]?>>();
                    var deadline = DateTime.UtcNow + settings.BatchWindow;
                    while (batch.Count < maxBatchSize)
                    {
                        if (_queue.Reader.TryRead(out var next))
                        {
                            batch.Add(next);
                            continue;
                        }

                        var wait = deadline - DateTime.UtcNow;
                        if (wait <= TimeSpan.Zero)
                        {
                            break;
                        }

                        using var window = CancellationTokenSource.CreateLinkedTokenSource(_revoked.Token);
                        window.CancelAfter(wait);
                        try
                        {
                            if (!await _queue.Reader.WaitToReadAsync(window.Token))
                            {
                                break;
                            }
                        }
                        catch (OperationCanceledException) when (!_revoked.IsCancellationRequested)
                        {
                            break;
                        }
                    }

                    if (batch.Count > 0 && await InvokeWithRetriesAsync(batch, stoppingToken))
                    {
                        Store(batch[^1]);
                    }
                }
            }
            catch (OperationCanceledException) when (_revoked.IsCancellationRequested)
            {
            }
        }

        /// <summary>Invokes until the function succeeds; false when the partition was revoked or the host stops first.</summary>
        private async Task<bool> InvokeWithRetriesAsync(List<ConsumeResult<byte[]?, byte[]?>> batch, CancellationToken stoppingToken)
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
                    await _listener.InvokeAsync(records, stoppingToken);
                    return true;
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    if (attempt == s_retry.MaxRetryCount)
                    {
                        _listener.Logger.LogError(
                            e, "StreamCommentChanges failed {Attempts} times on {Partition}; its {Count} events stay unstored and are tried again every {Delay}",
                            attempt + 1, _partition, records.Length, maximum);
                    }
                    else if (attempt < s_retry.MaxRetryCount)
                    {
                        _listener.Logger.LogWarning(e, "StreamCommentChanges failed on {Partition}; retry {Attempt} in {Delay}", _partition, attempt + 1, delay);
                    }
                }

                try
                {
                    await Task.Delay(delay, _revoked.Token);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, maximum.Ticks));
            }
        }

        private void Store(ConsumeResult<byte[]?, byte[]?> last)
        {
            try
            {
                _consumer.StoreOffset(new TopicPartitionOffset(_partition, new Offset(last.Offset.Value + 1)));
            }
            catch (KafkaException e)
            {
                // The partition moved to another consumer meanwhile: it reads these events again; applying them twice is harmless.
                _listener.Logger.LogWarning(e, "Storing the offset of {Partition} failed after a rebalance; the new owner re-reads it", _partition);
            }
        }
    }
}
