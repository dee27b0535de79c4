using System.ComponentModel.DataAnnotations;

namespace ToxicFunctions.Scoring;

/// <summary>How comments are scored over HTTP (section <c>Scoring</c>).</summary>
public sealed class ScoringOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Scoring";

    /// <summary>The default <see cref="MaxBatchTexts"/>.</summary>
    public const int DefaultMaxBatchTexts = 256;

    /// <summary>The default <see cref="MaxBatchWait"/>: 1 ms.</summary>
    public static readonly TimeSpan DefaultMaxBatchWait = TimeSpan.FromMilliseconds(1);

    /// <summary>The default <see cref="ChampionRecheckInterval"/>: 5 s.</summary>
    public static readonly TimeSpan DefaultChampionRecheckInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Probabilities at or above it are labelled toxic; null (the default) takes the served model's own threshold
    /// (its metadata).
    /// </summary>
    public double? Threshold { get; set; }

    /// <summary>Comments of concurrent requests gathered into one model run, at most (a single larger request runs whole).</summary>
    public int MaxBatchTexts { get; set; } = DefaultMaxBatchTexts;

    /// <summary>
    /// How long a batch waits for more requests after its first one, at most; only while no other batch runs (under
    /// load the requests arriving during a run form the next batch without waiting, and a wait would idle a processor).
    /// </summary>
    public TimeSpan MaxBatchWait { get; set; } = DefaultMaxBatchWait;

    /// <summary>Batches scored at once, at most; 0 (the default): one per processor.</summary>
    public int MaxConcurrentBatches { get; set; }

    /// <summary>How long the registry's answer to "which version is champion" is trusted: a promotion or rollback is served within it.</summary>
    public TimeSpan ChampionRecheckInterval { get; set; } = DefaultChampionRecheckInterval;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Threshold is < 0 or > 1 or double.NaN)
        {
            yield return new ValidationResult("Scoring:Threshold must be within [0, 1].", [nameof(Threshold)]);
        }

        if (MaxBatchTexts < 1)
        {
            yield return new ValidationResult("Scoring:MaxBatchTexts must be at least 1.", [nameof(MaxBatchTexts)]);
        }

        if (MaxBatchWait < TimeSpan.Zero || MaxBatchWait > TimeSpan.FromSeconds(1))
        {
            yield return new ValidationResult("Scoring:MaxBatchWait must be within 0 and 1 s.", [nameof(MaxBatchWait)]);
        }

        if (MaxConcurrentBatches < 0)
        {
            yield return new ValidationResult("Scoring:MaxConcurrentBatches must be 0 (one per processor) or more.", [nameof(MaxConcurrentBatches)]);
        }

        if (ChampionRecheckInterval <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Scoring:ChampionRecheckInterval must be positive.", [nameof(ChampionRecheckInterval)]);
        }
    }
}
