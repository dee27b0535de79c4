using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ToxicFunctions.Pipeline;
using ToxicFunctions.Telemetry;

namespace ToxicFunctions.Scoring;

/// <summary>
/// Micro-batching: the comments of concurrent requests are gathered into one model run (the first request, then
/// whatever arrives within <see cref="ScoringOptions.MaxBatchWait"/> while no other batch runs, up to
/// <see cref="ScoringOptions.MaxBatchTexts"/> comments), which ONNX Runtime runs in sub-batches of similar width
/// (<see cref="Training.OnnxModelRunner"/>). Up to
/// <see cref="ScoringOptions.MaxConcurrentBatches"/> batches run at once; a batch is formed when one of them may start,
/// from what arrived meanwhile, so batches grow with the load. A batch leases one model version
/// from its <see cref="ModelSource"/>, so no response mixes versions and a model replaced meanwhile is disposed only
/// after the batches using it end. Thread-safe.
/// </summary>
public sealed class ScoringBatcher : IAsyncDisposable
{
    private readonly ModelSource _source;
    private readonly ScoringOptions _options;
    private readonly ToxicMetrics _metrics;
    private readonly ILogger<ScoringBatcher> _logger;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _slots;
    private readonly Task _loop;

    /// <summary>Starts the batching loop.</summary>
    public ScoringBatcher(ModelSource source, IOptions<ScoringOptions> options, ToxicMetrics metrics, ILogger<ScoringBatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _source = source;
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _slots = new SemaphoreSlim(_options.MaxConcurrentBatches > 0 ? _options.MaxConcurrentBatches : Environment.ProcessorCount);
        _loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Scores <paramref name="texts"/> in the next batch.</summary>
    /// <returns>The scores, all from one model version.</returns>
    /// <exception cref="NoModelException">No model is registered yet.</exception>
    /// <exception cref="ChampionUnavailableException">The model to serve cannot be loaded.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the texts are then not scored if their batch had not started.</exception>
    public Task<ScoringResponse> ScoreAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var pending = new Pending(texts, cancellationToken);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);

        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        _slots.Dispose();
    }

    private async Task RunAsync()
    {
        var running = new List<Task>();
        CancellationTokenSource? window = null;
        while (await _queue.Reader.WaitToReadAsync())
        {
            await _slots.WaitAsync();
            var batch = new List<Pending>();
            var texts = 0;
            var deadline = DateTime.UtcNow + _options.MaxBatchWait;
            while (texts < _options.MaxBatchTexts)
            {
                if (_queue.Reader.TryRead(out var next))
                {
                    if (!next.Cancellation.IsCancellationRequested)
                    {
                        batch.Add(next);
                        texts += next.Texts.Count;
                    }

                    continue;
                }

                // Waiting for company pays only while the processors are idle: with another batch running, the
                // requests arriving meanwhile form the next batch anyway, and waiting would leave a processor unused.
                var wait = deadline - DateTime.UtcNow;
                if (batch.Count == 0 || wait <= TimeSpan.Zero || running.Exists(t => !t.IsCompleted))
                {
                    break;
                }

                window ??= new CancellationTokenSource();
                window.CancelAfter(wait);
                var arrived = _queue.Reader.WaitToReadAsync(window.Token).AsTask();
                await ((Task)arrived).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (!window.TryReset())
                {
                    window.Dispose();
                    window = null;
                }

                if (arrived.IsCanceled || !arrived.Result)
                {
                    break;
                }
            }

            if (batch.Count == 0)
            {
                _slots.Release();
                continue;
            }

            running.RemoveAll(t => t.IsCompleted);
            running.Add(Task.Run(async () =>
            {
                try
                {
                    await ScoreBatchAsync(batch);
                }
                finally
                {
                    _slots.Release();
                }
            }));
        }

        window?.Dispose();
        await Task.WhenAll(running);
    }

    private async Task ScoreBatchAsync(List<Pending> batch)
    {
        // One span per model run, linked to the span of each request it answers (the batch has no single parent).
        using var activity = ToxicTracing.Source.HasListeners()
            ? ToxicTracing.Source.StartActivity(
                "score", ActivityKind.Internal, parentContext: default, links: batch.Where(p => p.Caller != default).Select(p => new ActivityLink(p.Caller)))
            : null;
        try
        {
            using var lease = await _source.AcquireAsync(CancellationToken.None)
                ?? throw new NoModelException("No champion model is registered yet; run the training pipeline (POST /api/pipelines/training).");
            var model = lease.Model;
            var threshold = _options.Threshold ?? model.Scorer.Threshold;
            var texts = batch.Count == 1 ? batch[0].Texts : [.. batch.SelectMany(p => p.Texts)];
            var scored = model.Scorer.ScoreTexts(texts);
            _metrics.RecordScoringBatch(texts.Count, model.Name, model.Version);
            activity?.SetTag("toxic.model.name", model.Name);
            activity?.SetTag("toxic.model.version", model.Version);
            activity?.SetTag("toxic.scoring.requests", batch.Count);
            activity?.SetTag("toxic.scoring.comments", texts.Count);
            var offset = 0;
            foreach (var pending in batch)
            {
                var results = new ScoringResult[pending.Texts.Count];
                for (var i = 0; i < results.Length; i++)
                {
                    var s = scored[offset + i];
                    results[i] = new ScoringResult(s.Probability, s.Probability >= threshold ? 1 : 0, s.Tokens, s.Truncated);
                }

                offset += results.Length;
                // Counted before it is answered, so a client that has its answer finds it counted.
                _metrics.RecordScoringRequest(Stopwatch.GetElapsedTime(pending.Arrived).TotalSeconds, scored: true);
                pending.Completion.TrySetResult(new ScoringResponse(model.Name, model.Version, threshold, results));
            }
        }
        catch (Exception e)
        {
            ToxicTracing.Fail(activity, e);
            if (e is not (NoModelException or ChampionUnavailableException))
            {
                _logger.LogError(e, "Scoring a batch of {Requests} requests failed", batch.Count);
            }

            foreach (var pending in batch)
            {
                _metrics.RecordScoringRequest(Stopwatch.GetElapsedTime(pending.Arrived).TotalSeconds, scored: false);
                pending.Completion.TrySetException(e);
            }
        }
    }

    private sealed class Pending(IReadOnlyList<string> texts, CancellationToken cancellation)
    {
        public IReadOnlyList<string> Texts { get; } = texts;

        public CancellationToken Cancellation { get; } = cancellation;

        public long Arrived { get; } = Stopwatch.GetTimestamp();

        /// <summary>The span of the request (its HTTP server span), which the model run's span links to.</summary>
        public ActivityContext Caller { get; } = Activity.Current?.Context ?? default;

        public TaskCompletionSource<ScoringResponse> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
