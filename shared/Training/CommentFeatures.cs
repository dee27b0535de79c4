namespace ToxicFunctions.Training;

/// <summary>
/// The featurized comment: hashed WordPiece n-grams, hashed character n-grams, its content token ids and, once computed
/// by <see cref="CommentEncoder"/>, its pooled encoder states.
/// </summary>
/// <param name="Words">Hashed n-grams of WordPiece ids.</param>
/// <param name="Chars">Hashed character n-grams of space-padded lower-cased words.</param>
/// <param name="TokenIds">The WordPiece ids without [CLS] and [SEP] ([UNK] alone when there are none).</param>
/// <param name="Encoding">The encoder view's <see cref="EncoderGraph.Dimension"/> features, or null when not computed.</param>
/// <param name="Tokens">The ids of the comment's encoding with [CLS] and [SEP] (2 to <see cref="Tokenization.WordPieceTokenizer.MaxTokens"/>), when the featurizer tokenized it; else 0.</param>
/// <param name="Truncated">Whether that encoding was cut at <see cref="Tokenization.WordPieceTokenizer.MaxTokens"/> ids (known when the featurizer tokenized it).</param>
public sealed record CommentFeatures(SparseCounts Words, SparseCounts Chars, int[] TokenIds, float[]? Encoding = null, int Tokens = 0, bool Truncated = false);
