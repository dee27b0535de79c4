using System.ComponentModel.DataAnnotations;

namespace ToxicFunctions.Pipeline;

/// <summary>Settings of the training pipeline (section <c>Pipeline</c>).</summary>
public sealed class PipelineOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Pipeline";

    /// <summary>NCrontab schedule (six fields, with seconds) of the timer that starts the pipeline; default daily at 02:00 UTC.</summary>
    public string Schedule { get; set; } = DefaultSchedule;

    /// <summary>Bucket of snapshots (<c>snapshots/SHA256/</c>) and model artifacts (<c>models/NAME/runs/RUN/</c>).</summary>
    public string ArtifactsBucket { get; set; } = "toxic-ml";

    /// <summary>The registered model's name.</summary>
    public string ModelName { get; set; } = "toxic-comments";

    /// <summary>The experiment that runs are recorded under.</summary>
    public string Experiment { get; set; } = "toxic-comments";

    /// <summary>Share of each class in the snapshot's test split.</summary>
    [Range(0.01, 0.99)]
    public double TestFraction { get; set; } = 0.2;

    /// <summary>Seed of the snapshot's stratified test split.</summary>
    public int SplitSeed { get; set; } = 42;

    /// <summary>The default of <see cref="Schedule"/>: daily at 02:00 (UTC, or the host's WEBSITE_TIME_ZONE).</summary>
    public const string DefaultSchedule = "0 0 2 * * *";

    /// <summary>The default of <see cref="EncodingSchedule"/>: every 5 seconds (a tick with nothing new costs one catalog read).</summary>
    public const string DefaultEncodingSchedule = "*/5 * * * * *";

    /// <summary>
    /// NCrontab schedule of the timer that encodes newly staged comments for the encoder view (features kept per
    /// comment, so that training only fits).
    /// </summary>
    public string EncodingSchedule { get; set; } = DefaultEncodingSchedule;

    /// <summary>
    /// Most threads that encode comments at once, in the encoding timer and in training runs (0: half the processors,
    /// at least 1). Encoding is CPU-bound; the bound leaves the rest of the machine to ingestion and the stream.
    /// </summary>
    [Range(0, 1024)]
    public int EncoderThreads { get; set; }

    /// <summary>The effective <see cref="EncoderThreads"/>.</summary>
    public int EncoderThreadLimit => EncoderThreads > 0 ? EncoderThreads : Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>Staged comments encoded per batch by that timer.</summary>
    [Range(1, 100_000)]
    public int EncodingBatchSize { get; set; } = 1000;
}
