namespace ToxicFunctions.Scoring;

/// <summary>The score of one comment.</summary>
/// <param name="Probability">The probability that it is toxic, in [0, 1].</param>
/// <param name="Label">1 (toxic) when <paramref name="Probability"/> is at or above the threshold, else 0.</param>
/// <param name="Tokens">The ids the model read, [CLS] and [SEP] included (2 to 512).</param>
/// <param name="Truncated">Whether the comment was longer than the model reads and was cut to <paramref name="Tokens"/> ids.</param>
public sealed record ScoringResult(float Probability, int Label, int Tokens, bool Truncated);
