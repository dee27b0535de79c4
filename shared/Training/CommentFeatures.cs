namespace ToxicFunctions.Training;

/// <summary>The featurized comment: hashed WordPiece n-grams, hashed character n-grams and its content token ids.</summary>
/// <param name="Words">Hashed n-grams of WordPiece ids.</param>
/// <param name="Chars">Hashed character n-grams of space-padded lower-cased words.</param>
/// <param name="TokenIds">The WordPiece ids without [CLS] and [SEP] ([UNK] alone when there are none).</param>
public sealed record CommentFeatures(SparseCounts Words, SparseCounts Chars, int[] TokenIds);
