namespace ToxicFunctions.Training;

/// <summary>The score of one comment.</summary>
/// <param name="Probability">The probability that it is toxic, in [0, 1].</param>
/// <param name="Tokens">The ids the model read: [CLS], the word pieces and [SEP] (2 to <see cref="Tokenization.WordPieceTokenizer.MaxTokens"/>).</param>
/// <param name="Truncated">Whether the comment was longer than the model reads and was cut to <paramref name="Tokens"/> ids.</param>
public readonly record struct ScoredText(float Probability, int Tokens, bool Truncated);
