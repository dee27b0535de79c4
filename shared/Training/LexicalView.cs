namespace ToxicFunctions.Training;

/// <summary>
/// The linear model over hashed n-grams: per block (word, char) TF-IDF values <c>(1 + ln tf) * idf</c>, L2-normalized
/// within the block, dotted with the block's weights. An idf of zero drops a bucket (unseen or below the minimum
/// document frequency in training), as a vocabulary would.
/// </summary>
/// <param name="WordIdf">Inverse document frequency per word bucket.</param>
/// <param name="WordWeights">Weight per word bucket.</param>
/// <param name="CharIdf">Inverse document frequency per character bucket.</param>
/// <param name="CharWeights">Weight per character bucket.</param>
public sealed record LexicalView(float[] WordIdf, float[] WordWeights, float[] CharIdf, float[] CharWeights)
{
    /// <summary>This view's contribution to the logit (without bias).</summary>
    public double Score(CommentFeatures features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return BlockScore(features.Words, WordIdf, WordWeights) + BlockScore(features.Chars, CharIdf, CharWeights);
    }

    internal static double BlockScore(SparseCounts counts, float[] idf, float[] weights)
    {
        double dot = 0;
        double squares = 0;
        for (var k = 0; k < counts.Indices.Length; k++)
        {
            var index = counts.Indices[k];
            var value = (double)counts.SublinearTf(k) * idf[index];
            squares += value * value;
            dot += value * weights[index];
        }

        return squares > 0 ? dot / Math.Sqrt(squares) : 0;
    }
}
