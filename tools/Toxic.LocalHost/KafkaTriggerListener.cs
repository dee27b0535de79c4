using System.Reflection;
using Confluent.Kafka;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ToxicFunctions.Streaming;

using ToxicFunctions.Telemetry;

namespace ToxicFunctions.LocalHost;

/// <summary>
/// The Kafka trigger of the local host for one Kafka-triggered function, with the Functions Kafka extension's semantics:
/// the brokers, topic, group and security settings of its <c>[KafkaTrigger]</c> attribute (<see cref="KafkaFunction"/>),
/// one consumer of the group, and one executor per assigned partition that invokes the function with batches of up to
/// MaxBatchSize events of that partition (or event by event when the trigger is not batched), in order, while the
/// executors of other partitions run at the same time. An executor stores a batch's offsets only after the function
/// succeeded, and the consumer commits stored offsets every <see cref="KafkaTriggerOptions.CommitInterval"/> (the
/// extension's AutoCommitIntervalMs). A failing batch is retried as the function's retry attribute says, and then again
/// at its longest interval until it succeeds or the partition moves elsewhere: its offsets are never stored before
/// that, so nothing is skipped. The consumer runs on a thread of its own (Confluent.Kafka's Consume blocks).
/// </summary>
internal sealed class KafkaTriggerListener : BackgroundService
{
    private readonly KafkaFunction _function;
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger _logger;
    private readonly string _topic;
    private readonly ConsumerConfig _connection;
    private readonly Func<KafkaRecord[], CancellationToken, object?>[] _binders;
    private readonly bool _enabled;

    /// <summary>Resolves the function's trigger and bindings; a function this host cannot serve fails here, at start.</summary>
    /// <exception cref="InvalidOperationException">A setting the attribute names is missing, or a parameter has no binding this host knows.</exception>
    public KafkaTriggerListener(
        KafkaFunction function,
        IServiceScopeFactory scopes,
        IConfiguration configuration,
        IOptions<KafkaOptions> kafka,
        IOptions<KafkaTriggerOptions> options,
        ILogger<KafkaTriggerListener> logger)
    {
        _function = function;
        _scopes = scopes;
        _logger = logger;
        Options = options.Value;
        MaxBatchSize = function.Trigger.IsBatched ? kafka.Value.MaxBatchSize : 1;
        Retry = RetryPolicy.Of(function.Retry);
        _enabled = Options.Enabled && !FunctionSwitches.IsDisabled(configuration, function.Name);
        _topic = function.ResolveTopic(configuration);
        _connection = function.ConsumerConfig(configuration);
        _binders = [.. function.Method.GetParameters().Select(Binder)];
    }

    private KafkaTriggerOptions Options { get; }

    private int MaxBatchSize { get; }

    private RetryPolicy Retry { get; }

    private string Name => _function.Name;

    private ILogger Logger => _logger;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _enabled
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
                _logger.LogError(e, "The Kafka consumer of {Function} failed; starting a new one", Name);
                stoppingToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
            }
        }
    }

    private void Consume(CancellationToken stoppingToken)
    {
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

        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig(new Dictionary<string, string>(_connection))
        {
            EnableAutoCommit = true,
            EnableAutoOffsetStore = false,
            AutoCommitIntervalMs = (int)Options.CommitInterval.TotalMilliseconds,
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
        consumer.Subscribe(_topic);
        _logger.LogInformation("Kafka trigger {Function} consumes {Topic} as group {Group}", Name, _topic, _connection.GroupId);
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
                    _logger.LogDebug("Kafka: {Reason}; waiting", e.Error.Reason);
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

    /// <summary>Invokes the function once with a batch (one record when the trigger is not batched); throws what it throws.</summary>
    private async Task InvokeAsync(KafkaRecord[] records, CancellationToken stoppingToken)
    {
        using var activity = InvocationActivity.Start(Name, "pubsub");
        activity?.SetTag("messaging.batch.message_count", records.Length);
        await using var scope = _scopes.CreateAsyncScope();
        var method = _function.Method;
        var instance = method.IsStatic ? null : ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, method.DeclaringType!);
        try
        {
            await (Task)method.Invoke(instance, [.. _binders.Select(bind => bind(records, stoppingToken))])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null && !ToxicTracing.Fail(activity, e.InnerException))
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    private Func<KafkaRecord[], CancellationToken, object?> Binder(ParameterInfo parameter)
    {
        if (parameter.GetCustomAttribute<KafkaTriggerAttribute>() is not null)
        {
            return (_function.Trigger.IsBatched, parameter.ParameterType) switch
            {
                (true, var t) when t == typeof(KafkaRecord[]) => static (records, _) => records,
                (false, var t) when t == typeof(KafkaRecord) => static (records, _) => records[0],
                _ => throw new InvalidOperationException(
                    $"The local host cannot serve Kafka function {Name}: its trigger parameter is {parameter.ParameterType.Name} with IsBatched = {_function.Trigger.IsBatched}; this host binds KafkaRecord[] (batched) or KafkaRecord."),
            };
        }

        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return static (_, cancellationToken) => cancellationToken;
        }

        if (!_function.Method.ReturnType.IsAssignableTo(typeof(Task)))
        {
            throw new InvalidOperationException($"The local host cannot serve Kafka function {Name}: it returns {_function.Method.ReturnType.Name}; this host runs Task methods.");
        }

        throw new InvalidOperationException(
            $"The local host cannot serve Kafka function {Name}: parameter '{parameter.Name}' ({parameter.ParameterType.Name}) has no binding this host knows.");
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
            var capacity = Math.Max(2 * listener.MaxBatchSize, 100);
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
            var maxBatchSize = _listener.MaxBatchSize;
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
                Timestamp = new KafkaTimestamp { UnixTimestampMs = r.Message.Timestamp.UnixTimestampMs, Type = (KafkaTimestampType)(int)r.Message.Timestamp.Type },
                Headers = r.Message.Headers is { } headers ? [.. headers.Select(h => new KafkaHeader { Key = h.Key, Value = h.GetValueBytes() })] : [],
                LeaderEpoch = r.LeaderEpoch,
            }).ToArray();
            var retry = _listener.Retry;
            var delay = retry.FirstDelay;
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await _listener.InvokeAsync(records, stoppingToken);
                    return true;
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    if (attempt == retry.MaxRetryCount)
                    {
                        _listener.Logger.LogError(
                            e, "{Function} failed {Attempts} times on {Partition}; its {Count} events stay unstored and are tried again every {Delay}",
                            _listener.Name, attempt + 1, _partition, records.Length, retry.MaximumDelay);
                    }
                    else if (attempt < retry.MaxRetryCount)
                    {
                        _listener.Logger.LogWarning(e, "{Function} failed on {Partition}; retry {Attempt} in {Delay}", _listener.Name, _partition, attempt + 1, delay);
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

                delay = retry.Next(delay);
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
