using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ToxicFunctions.Ingestion;

namespace ToxicFunctions.Telemetry;

/// <summary>
/// The product's metrics, on the meter <see cref="MeterName"/>, as OpenTelemetry exports them (the Prometheus name in
/// brackets: dots become underscores, counters end in <c>_total</c>, seconds in <c>_seconds</c>):
/// <list type="bullet">
/// <item>ingestion: <c>toxic.loads</c> [toxic_loads_total], object versions by <c>outcome</c> (Loaded, AlreadyLoaded,
/// Failed, Skipped, NotFound); <c>toxic.rows.ingested</c> [toxic_rows_ingested_total] and <c>toxic.rows.rejected</c>
/// [toxic_rows_rejected_total], rows of loaded versions;</item>
/// <item>scoring: <c>toxic.scoring.request.duration</c> [toxic_scoring_request_duration_seconds], a histogram of the
/// time from a request's arrival at the batcher to its answer, by <c>outcome</c> (scored, failed);
/// <c>toxic.scoring.batch.size</c> [toxic_scoring_batch_size], comments per model run; <c>toxic.scoring.model.version</c>
/// [toxic_scoring_model_version], the version each <c>model</c> last answered with (0 for a model directory);</item>
/// <item>change stream: <c>toxic.stream.changes.applied</c> [toxic_stream_changes_applied_total], rows upserted or
/// truncated in staging; <c>toxic.stream.latency</c> [toxic_stream_latency_seconds], a histogram of the time from a
/// change's source commit to the staging commit that applied it; <c>toxic.stream.dead_letters</c>
/// [toxic_stream_dead_letters_total]; <c>toxic.stream.offset_gaps</c> [toxic_stream_offset_gaps_total] and
/// <c>toxic.stream.offset_gap.events</c> [toxic_stream_offset_gap_events_total], gaps found and the offsets they
/// skipped (see <see cref="Streaming.OffsetGap"/>); <c>toxic.stream.consumer.lag</c> [toxic_stream_consumer_lag], events
/// of each <c>topic</c> and <c>partition</c> the stream function's consumer group has not consumed (sampled, see
/// <see cref="BacklogSampler"/>);</item>
/// <item>data quality: <c>toxic.validation.runs</c> [toxic_validation_runs_total] by <c>suite</c> and <c>status</c>
/// (Passed, Warned, Failed); <c>toxic.validation.expectations.failed</c> [toxic_validation_expectations_failed_total]
/// by <c>suite</c> and <c>severity</c> (error, warn);</item>
/// <item>training: <c>toxic.training.duration</c> [toxic_training_duration_seconds], a histogram of a pipeline run's
/// train step (snapshot read to artifacts stored); <c>toxic.training.auc</c> [toxic_training_auc] and
/// <c>toxic.training.f1</c> [toxic_training_f1], the hold-out figures of each <c>model</c>'s last trained run;
/// <c>toxic.encoder.backlog</c> [toxic_encoder_backlog], staged comments the encoding timer has not encoded yet
/// (sampled, capped at <see cref="BacklogSampler.EncoderBacklogCap"/>).</item>
/// </list>
/// Thread-safe.
/// </summary>
public sealed class ToxicMetrics
{
    /// <summary>The meter's name: what an exporter subscribes to.</summary>
    public const string MeterName = "ToxicFunctions";

    private readonly Counter<long> _loads;
    private readonly Counter<long> _rowsIngested;
    private readonly Counter<long> _rowsRejected;
    private readonly Histogram<double> _scoringDuration;
    private readonly Histogram<int> _batchSize;
    private readonly Counter<long> _changesApplied;
    private readonly Histogram<double> _streamLatency;
    private readonly Counter<long> _deadLetters;
    private readonly Counter<long> _offsetGaps;
    private readonly Counter<long> _offsetGapEvents;
    private readonly Counter<long> _validationRuns;
    private readonly Counter<long> _failedExpectations;
    private readonly Histogram<double> _trainingDuration;
    private readonly ConcurrentDictionary<string, (double Auc, double F1)> _lastTraining = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _servedVersions = new(StringComparer.Ordinal);
    private volatile IReadOnlyList<Streaming.ConsumerLag> _consumerLag = [];
    private long _encoderBacklogValue = -1; // -1: not measured (no series)

    // One meter for the process, never disposed. OpenTelemetry subscribes to meters by name and shares one metric stream
    // among instruments of the same name: with a meter per host (IMeterFactory's), the first host to stop would end the
    // streams of every other host in the process (tests run many). Instruments of two instances in one process add up.
    private static readonly Meter s_meter = new(MeterName);

    /// <summary>Creates the instruments, on the process's meter <see cref="MeterName"/>.</summary>
    public ToxicMetrics()
    {
        var meter = s_meter;
        var gauges = new List<Instrument>();
        _loads = meter.CreateCounter<long>("toxic.loads", "{load}", "Object versions announced for batch ingestion, by outcome.");
        _rowsIngested = meter.CreateCounter<long>("toxic.rows.ingested", "{row}", "Rows loaded into staging.comments by batch ingestion.");
        _rowsRejected = meter.CreateCounter<long>("toxic.rows.rejected", "{row}", "Malformed rows of loaded versions, recorded in staging.rejected_records.");
        _scoringDuration = meter.CreateHistogram(
            "toxic.scoring.request.duration",
            "s",
            "Time from a scoring request's arrival at the batcher to its answer, by outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        _batchSize = meter.CreateHistogram(
            "toxic.scoring.batch.size",
            "{comment}",
            "Comments scored in one model run (the requests the batcher gathered).",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] });
        gauges.Add(meter.CreateObservableGauge(
            "toxic.scoring.model.version",
            () => PerModel(_servedVersions, version => version),
            "{version}",
            "The registry version each model last answered a scoring request with (0 for a model directory)."));
        _changesApplied = meter.CreateCounter<long>("toxic.stream.changes.applied", "{change}", "Changes the stream consumer applied to staging (rows upserted or truncated).");
        _streamLatency = meter.CreateHistogram(
            "toxic.stream.latency",
            "s",
            "Time from a change's commit in the source database to the staging commit that applied it.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] });
        _deadLetters = meter.CreateCounter<long>("toxic.stream.dead_letters", "{event}", "Change events dead-lettered to staging.stream_dead_letters.");
        _offsetGaps = meter.CreateCounter<long>("toxic.stream.offset_gaps", "{gap}", "Offset gaps found by the stream consumer: events lost before it read them.");
        _offsetGapEvents = meter.CreateCounter<long>("toxic.stream.offset_gap.events", "{event}", "Offsets skipped by offset gaps (an upper bound of the lost events).");
        _validationRuns = meter.CreateCounter<long>("toxic.validation.runs", "{run}", "Data-quality suite runs, by suite and status.");
        _failedExpectations = meter.CreateCounter<long>("toxic.validation.expectations.failed", "{expectation}", "Failed expectations of suite runs, by suite and severity.");
        _trainingDuration = meter.CreateHistogram(
            "toxic.training.duration",
            "s",
            "A pipeline run's train step: snapshot read, encodings, training and artifacts stored.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600] });
        gauges.Add(meter.CreateObservableGauge(
            "toxic.training.auc",
            () => PerModel(_lastTraining, last => last.Auc),
            "1",
            "Hold-out ROC AUC of each model's last trained run."));
        gauges.Add(meter.CreateObservableGauge(
            "toxic.training.f1",
            () => PerModel(_lastTraining, last => last.F1),
            "1",
            "Hold-out F1 at the threshold of each model's last trained run."));
        gauges.Add(meter.CreateObservableGauge(
            "toxic.stream.consumer.lag",
            () => _consumerLag.Select(lag => new Measurement<long>(lag.Events, Tag("topic", lag.Topic), Tag("partition", lag.Partition))),
            "{event}",
            "Events of each partition of the change-event topic that the stream function's consumer group has not consumed."));
        gauges.Add(meter.CreateObservableGauge(
            "toxic.encoder.backlog",
            () => Interlocked.Read(ref _encoderBacklogValue) is var value && value >= 0 ? [new Measurement<long>(value)] : Array.Empty<Measurement<long>>(),
            "{comment}",
            "Staged comments without kept encoder features: the encoding timer's work to do."));
        Instruments = [
            _loads, _rowsIngested, _rowsRejected, _scoringDuration, _batchSize, _changesApplied, _streamLatency, _deadLetters,
            _offsetGaps, _offsetGapEvents, _validationRuns, _failedExpectations, _trainingDuration, .. gauges];
    }

    /// <summary>The instruments this instance created (others of the same names may exist in the process: see <see cref="s_meter"/>).</summary>
    internal IReadOnlyList<Instrument> Instruments { get; }

    /// <summary>Counts one announced object version and, when it loaded, its rows.</summary>
    public void RecordLoad(IngestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _loads.Add(1, Tag("outcome", result.Outcome.ToString()));

        // Zeros too, for any other outcome: the row families are exported from the first announced version on.
        var loaded = result.Outcome == IngestOutcome.Loaded;
        _rowsIngested.Add(loaded ? result.RowsLoaded : 0);
        _rowsRejected.Add(loaded ? result.RowsRejected : 0);
    }

    /// <summary>Records one scoring request's time in the batcher, in seconds.</summary>
    public void RecordScoringRequest(double seconds, bool scored) =>
        _scoringDuration.Record(seconds, Tag("outcome", scored ? "scored" : "failed"));

    /// <summary>
    /// Records one applied stream batch: <paramref name="applied"/> rows changed, the source commit time of each change
    /// it applied (against <paramref name="visibleAt"/>, when its staging commit ended), its dead letters and gaps.
    /// </summary>
    public void RecordStreamBatch(long applied, IEnumerable<DateTimeOffset> committedAt, DateTimeOffset visibleAt, int deadLetters, IReadOnlyList<Streaming.OffsetGap> gaps)
    {
        ArgumentNullException.ThrowIfNull(committedAt);
        ArgumentNullException.ThrowIfNull(gaps);
        _changesApplied.Add(applied);
        foreach (var committed in committedAt)
        {
            _streamLatency.Record(Math.Max(0, (visibleAt - committed).TotalSeconds));
        }

        _deadLetters.Add(deadLetters);
        _offsetGaps.Add(gaps.Count); // zeros too: every family of the stream is exported from its first batch on
        _offsetGapEvents.Add(gaps.Sum(gap => gap.MissingEvents));
    }

    /// <summary>Records one completed suite run: its status and its failed expectations by severity.</summary>
    public void RecordValidation(string suite, string status, int failedErrors, int failedWarnings)
    {
        var suiteTag = Tag("suite", suite);
        _validationRuns.Add(1, suiteTag, Tag("status", status));
        _failedExpectations.Add(failedErrors, suiteTag, Tag("severity", "error"));
        _failedExpectations.Add(failedWarnings, suiteTag, Tag("severity", "warn"));
    }

    /// <summary>Records a pipeline run's train step of <paramref name="seconds"/> and its hold-out AUC and F1 as <paramref name="model"/>'s last.</summary>
    public void RecordTraining(string model, double seconds, double auc, double f1)
    {
        _trainingDuration.Record(seconds, Tag("model", model));
        _lastTraining[model] = (auc, f1);
    }

    /// <summary>Records one model run of <paramref name="comments"/> comments by <paramref name="model"/> at <paramref name="version"/>.</summary>
    public void RecordScoringBatch(int comments, string model, int? version)
    {
        _batchSize.Record(comments);
        _servedVersions[model] = version ?? 0;
    }

    /// <summary>Sets the consumer lag of every partition, as last measured; an empty list removes the series (not measured).</summary>
    public void SetConsumerLag(IReadOnlyList<Streaming.ConsumerLag> lag)
    {
        ArgumentNullException.ThrowIfNull(lag);
        _consumerLag = lag;
    }

    /// <summary>Sets the encoder backlog in comments, as last measured; null removes the series (not measured).</summary>
    public void SetEncoderBacklog(long? comments) => Interlocked.Exchange(ref _encoderBacklogValue, comments ?? -1);

    /// <summary>One measurement per model of <paramref name="values"/>, tagged with its name.</summary>
    private static IEnumerable<Measurement<T>> PerModel<TValue, T>(ConcurrentDictionary<string, TValue> values, Func<TValue, T> select)
        where T : struct =>
        values.Select(p => new Measurement<T>(select(p.Value), Tag("model", p.Key)));

    private static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);
}
