namespace ToxicFunctions.Training;

/// <summary>
/// Fits <see cref="ToxicModel"/> on labelled comments: the views are logistic regressions fitted separately (L-BFGS
/// from zero, so the result depends only on the data and options), their logits summed. CPU only, deterministic:
/// parallel work writes disjoint outputs in a fixed order.
/// </summary>
public sealed class ToxicTrainer(CommentFeaturizer featurizer, StaticEmbeddingTable table)
{
    /// <summary>The frozen embedding table the models read.</summary>
    public StaticEmbeddingTable Table => table;

    /// <summary>Trains on <paramref name="features"/> (from <see cref="CommentFeaturizer"/>) and their 0/1 labels.</summary>
    public ToxicModel Train(IReadOnlyList<CommentFeatures> features, IReadOnlyList<byte> labels, TrainerOptions options)
        => TrainPair(features, labels, options).Full;

    /// <summary>
    /// Trains the model (<see cref="Train"/>) and, from the same view fits, the fast model: the same lexical and
    /// embedding views without the encoder view, its bias the sum of theirs (equal to training with
    /// <see cref="FeatureSettings.EncoderLayers"/> 0 on the same comments). Without an encoder view both are the same model.
    /// </summary>
    /// <param name="features">The comments' features.</param>
    /// <param name="labels">Their 0/1 labels.</param>
    /// <param name="options">The trainer's settings.</param>
    /// <param name="viewsFitted">Told once per view fitted (2, or 3 with an encoder view), with the views fitted so far in this call.</param>
    public (ToxicModel Full, ToxicModel Fast) TrainPair(
        IReadOnlyList<CommentFeatures> features, IReadOnlyList<byte> labels, TrainerOptions options, IProgress<int>? viewsFitted = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(options);
        if (features.Count != labels.Count || features.Count == 0)
        {
            throw new ArgumentException("Training needs at least one comment and one label per comment.", nameof(labels));
        }

        if (labels.Any(l => l > 1) || labels.All(l => l == labels[0]))
        {
            throw new ArgumentException("Training needs 0/1 labels with both classes present.", nameof(labels));
        }

        var rowWeights = LogisticRegression.RowWeights(labels, options.ClassBalanced);
        var (lexical, lexicalBias) = TrainLexical(features, labels, rowWeights, options);
        viewsFitted?.Report(1);
        var (embedding, embeddingBias) = TrainEmbedding(features, labels, rowWeights, options);
        viewsFitted?.Report(2);
        var (encoder, encoderBias) = featurizer.Settings.UsesEncoder ? TrainEncoder(features, labels, rowWeights, options) : (null, 0.0);
        if (encoder is not null)
        {
            viewsFitted?.Report(3);
        }

        var full = new ToxicModel(featurizer.Settings, lexical, embedding, encoder, (float)(lexicalBias + embeddingBias + encoderBias));
        return (full, encoder is null ? full : full with { Encoder = null, Bias = (float)(lexicalBias + embeddingBias) });
    }

    private (LexicalView View, double Bias) TrainLexical(
        IReadOnlyList<CommentFeatures> features, IReadOnlyList<byte> labels, double[] rowWeights, TrainerOptions options)
    {
        var settings = featurizer.Settings;
        var wordIdf = Idf(features.Select(f => f.Words.Indices), 1 << settings.WordHashBits, settings.WordMinDocumentFrequency, features.Count);
        var charIdf = Idf(features.Select(f => f.Chars.Indices), 1 << settings.CharHashBits, settings.CharMinDocumentFrequency, features.Count);

        // Compact columns: the word buckets with weight to learn, then the character buckets.
        var wordColumns = ColumnMap(wordIdf, 0);
        var wordColumnCount = wordIdf.Count(v => v > 0);
        var charColumns = ColumnMap(charIdf, wordColumnCount);
        var columnCount = wordColumnCount + charIdf.Count(v => v > 0);

        var rowStarts = new int[features.Count + 1];
        for (var i = 0; i < features.Count; i++)
        {
            rowStarts[i + 1] = rowStarts[i] + features[i].Words.Indices.Length + features[i].Chars.Indices.Length;
        }

        var columns = new int[rowStarts[^1]];
        var values = new float[rowStarts[^1]];
        Parallel.For(0, features.Count, BoundedParallelism.Options, i =>
        {
            var next = WriteBlock(features[i].Words, wordIdf, wordColumns, columns, values, rowStarts[i]);
            WriteBlock(features[i].Chars, charIdf, charColumns, columns, values, next);
        });

        // Dropped buckets left gaps (column -1): squeeze them out.
        var kept = 0;
        var compactStarts = new int[features.Count + 1];
        for (var i = 0; i < features.Count; i++)
        {
            for (var k = rowStarts[i]; k < rowStarts[i + 1]; k++)
            {
                if (columns[k] >= 0)
                {
                    columns[kept] = columns[k];
                    values[kept] = values[k];
                    kept++;
                }
            }

            compactStarts[i + 1] = kept;
        }

        var matrix = new SparseMatrix(compactStarts, columns[..kept], values[..kept], columnCount);
        var fit = LogisticRegression.Train(matrix, labels, rowWeights, options.LexicalC, options.MaxIterations, options.GradientTolerance);
        return (new LexicalView(wordIdf, Scatter(fit.Weights, wordColumns), charIdf, Scatter(fit.Weights, charColumns)), fit.Bias);
    }

    private (EmbeddingView View, double Bias) TrainEmbedding(
        IReadOnlyList<CommentFeatures> features, IReadOnlyList<byte> labels, double[] rowWeights, TrainerOptions options)
    {
        var tokenIdf = Idf(features.Select(f => f.TokenIds.Distinct()), table.Rows, 1, features.Count, keepUnseen: true);
        const int width = EmbeddingView.FeatureCount;
        var pooled = new float[features.Count * width];
        Parallel.For(0, features.Count, BoundedParallelism.Options, i => EmbeddingView.Pool(features[i].TokenIds, table, tokenIdf, pooled.AsSpan(i * width, width)));

        var (weights, bias) = FitStandardized(pooled, width, labels, rowWeights, options.EmbeddingC, options);
        return (new EmbeddingView(tokenIdf, weights), bias);
    }

    private static (EncoderView View, double Bias) TrainEncoder(
        IReadOnlyList<CommentFeatures> features, IReadOnlyList<byte> labels, double[] rowWeights, TrainerOptions options)
    {
        const int width = EncoderGraph.Dimension;
        var rows = new float[features.Count * width];
        for (var i = 0; i < features.Count; i++)
        {
            var encoding = features[i].Encoding;
            if (encoding is null || encoding.Length != width)
            {
                throw new ArgumentException($"Comment {i} has no encoder features; compute them with {nameof(CommentEncoder)} first.", nameof(features));
            }

            encoding.CopyTo(rows, i * width);
        }

        var (weights, bias) = FitStandardized(rows, width, labels, rowWeights, options.EncoderC, options);
        return (new EncoderView(weights), bias);
    }

    /// <summary>
    /// Logistic regression on standardized dense columns (fixed summation order), the standardization then folded into
    /// the returned weights and bias so that they apply to the raw values.
    /// </summary>
    private static (float[] Weights, double Bias) FitStandardized(
        float[] values, int width, IReadOnlyList<byte> labels, double[] rowWeights, double c, TrainerOptions options)
    {
        var count = labels.Count;
        var mean = new double[width];
        var scale = new double[width];
        Parallel.For(0, width, BoundedParallelism.Options, j =>
        {
            double sum = 0;
            double squares = 0;
            for (var i = 0; i < count; i++)
            {
                sum += values[(i * width) + j];
            }

            var m = sum / count;
            for (var i = 0; i < count; i++)
            {
                var centered = values[(i * width) + j] - m;
                squares += centered * centered;
            }

            var sd = Math.Sqrt(squares / count);
            mean[j] = m;
            scale[j] = sd > 1e-9 ? 1.0 / sd : 0.0;
        });

        var standardized = new float[values.Length];
        Parallel.For(0, count, BoundedParallelism.Options, i =>
        {
            for (var j = 0; j < width; j++)
            {
                standardized[(i * width) + j] = (float)((values[(i * width) + j] - mean[j]) * scale[j]);
            }
        });

        var fit = LogisticRegression.Train(new DenseMatrix(standardized, count, width), labels, rowWeights, c, options.MaxIterations, options.GradientTolerance);
        var weights = new float[width];
        var bias = fit.Bias;
        for (var j = 0; j < width; j++)
        {
            var w = fit.Weights[j] * scale[j];
            weights[j] = (float)w;
            bias -= w * mean[j];
        }

        return (weights, bias);
    }

    /// <summary>
    /// Smoothed idf <c>ln((1 + n) / (1 + df)) + 1</c> per bucket; buckets seen in fewer than <paramref name="minDocuments"/>
    /// comments get 0 (dropped) unless <paramref name="keepUnseen"/> keeps the formula for them too.
    /// </summary>
    internal static float[] Idf(IEnumerable<IEnumerable<int>> documents, int buckets, int minDocuments, int documentCount, bool keepUnseen = false)
    {
        var df = new int[buckets];
        foreach (var document in documents)
        {
            foreach (var index in document)
            {
                df[index]++;
            }
        }

        var idf = new float[buckets];
        for (var b = 0; b < buckets; b++)
        {
            idf[b] = df[b] >= minDocuments || keepUnseen
                ? (float)(Math.Log((1.0 + documentCount) / (1.0 + df[b])) + 1.0)
                : 0f;
        }

        return idf;
    }

    private static int[] ColumnMap(float[] idf, int first)
    {
        var map = new int[idf.Length];
        var next = first;
        for (var b = 0; b < idf.Length; b++)
        {
            map[b] = idf[b] > 0 ? next++ : -1;
        }

        return map;
    }

    private static int WriteBlock(SparseCounts counts, float[] idf, int[] columnMap, int[] columns, float[] values, int next)
    {
        double squares = 0;
        for (var k = 0; k < counts.Indices.Length; k++)
        {
            var v = (double)counts.SublinearTf(k) * idf[counts.Indices[k]];
            squares += v * v;
        }

        var inverseNorm = squares > 0 ? 1.0 / Math.Sqrt(squares) : 0.0;
        for (var k = 0; k < counts.Indices.Length; k++)
        {
            var index = counts.Indices[k];
            columns[next] = columnMap[index];
            values[next] = (float)(counts.SublinearTf(k) * idf[index] * inverseNorm);
            next++;
        }

        return next;
    }

    private static float[] Scatter(double[] weights, int[] columnMap)
    {
        var result = new float[columnMap.Length];
        for (var b = 0; b < columnMap.Length; b++)
        {
            if (columnMap[b] >= 0)
            {
                result[b] = (float)weights[columnMap[b]];
            }
        }

        return result;
    }
}
