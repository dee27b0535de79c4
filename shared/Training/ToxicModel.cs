namespace ToxicFunctions.Training;

/// <summary>
/// The trained model in memory: logit = lexical view + embedding view (+ encoder view) + bias, probability =
/// sigmoid(logit). The ONNX graph of the artifact computes the same function.
/// </summary>
/// <param name="Features">How comments are featurized.</param>
/// <param name="Lexical">The hashed n-gram view.</param>
/// <param name="Embedding">The pooled token embedding view.</param>
/// <param name="Encoder">The pooled encoder state view, or null when <see cref="FeatureSettings.UsesEncoder"/> is off.</param>
/// <param name="Bias">The intercept of the summed logits.</param>
public sealed record ToxicModel(FeatureSettings Features, LexicalView Lexical, EmbeddingView Embedding, EncoderView? Encoder, float Bias)
{
    /// <summary>The probability that a featurized comment is toxic (its <see cref="CommentFeatures.Encoding"/> set when the model has an encoder view).</summary>
    public double Probability(CommentFeatures features, StaticEmbeddingTable table)
    {
        ArgumentNullException.ThrowIfNull(features);
        var logit = Lexical.Score(features) + Embedding.Score(features, table) + Bias;
        if (Encoder is not null)
        {
            logit += Encoder.Score(features.Encoding ?? throw new ArgumentException("The model needs the comment's encoder features.", nameof(features)));
        }

        return LogisticRegression.Sigmoid(logit);
    }
}
