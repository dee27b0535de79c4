namespace ToxicFunctions.Training;

/// <summary>
/// The linear model over pooled frozen token embeddings: the idf-weighted mean, the mean, the maximum and the minimum
/// of the comment's token rows (4 x 384 features), standardized with training means and deviations that are folded
/// into <see cref="Weights"/> and the model's bias.
/// </summary>
/// <param name="TokenIdf">Inverse document frequency per token id (training comments).</param>
/// <param name="Weights">One weight per pooled feature, standardization folded in.</param>
public sealed record EmbeddingView(float[] TokenIdf, float[] Weights)
{
    /// <summary>The number of pooled features.</summary>
    public const int FeatureCount = 4 * StaticEmbeddingTable.Dimension;

    /// <summary>This view's contribution to the logit (without bias).</summary>
    public double Score(CommentFeatures features, StaticEmbeddingTable table)
    {
        ArgumentNullException.ThrowIfNull(features);
        Span<float> pooled = stackalloc float[FeatureCount];
        Pool(features.TokenIds, table, TokenIdf, pooled);
        double sum = 0;
        for (var j = 0; j < pooled.Length; j++)
        {
            sum += (double)pooled[j] * Weights[j];
        }

        return sum;
    }

    /// <summary>Writes the 4 x 384 pooled features of <paramref name="tokenIds"/> into <paramref name="pooled"/>.</summary>
    public static void Pool(ReadOnlySpan<int> tokenIds, StaticEmbeddingTable table, float[] tokenIdf, Span<float> pooled)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(tokenIdf);
        const int d = StaticEmbeddingTable.Dimension;
        Span<double> weighted = stackalloc double[d];
        Span<double> plain = stackalloc double[d];
        weighted.Clear();
        plain.Clear();
        var max = pooled.Slice(2 * d, d);
        var min = pooled.Slice(3 * d, d);
        max.Fill(float.NegativeInfinity);
        min.Fill(float.PositiveInfinity);
        double idfSum = 0;
        foreach (var id in tokenIds)
        {
            var row = table.Row(id);
            var idf = tokenIdf[id];
            idfSum += idf;
            for (var j = 0; j < d; j++)
            {
                var e = row[j];
                weighted[j] += (double)idf * e;
                plain[j] += e;
                max[j] = Math.Max(max[j], e);
                min[j] = Math.Min(min[j], e);
            }
        }

        for (var j = 0; j < d; j++)
        {
            pooled[j] = idfSum > 0 ? (float)(weighted[j] / idfSum) : 0f;
            pooled[d + j] = (float)(plain[j] / tokenIds.Length);
        }
    }
}
