namespace ToxicFunctions.Training;

/// <summary>
/// The trained model in memory: logit = lexical view + embedding view + bias, probability = sigmoid(logit). The
/// ONNX graph of the artifact computes the same function.
/// </summary>
/// <param name="Features">How comments are featurized.</param>
/// <param name="Lexical">The hashed n-gram view.</param>
/// <param name="Embedding">The pooled token embedding view.</param>
/// <param name="Bias">The intercept of the summed logits.</param>
public sealed record ToxicModel(FeatureSettings Features, LexicalView Lexical, EmbeddingView Embedding, float Bias)
{
    /// <summary>The probability that a featurized comment is toxic.</summary>
    public double Probability(CommentFeatures features, StaticEmbeddingTable table) =>
        LogisticRegression.Sigmoid(Lexical.Score(features) + Embedding.Score(features, table) + Bias);
}
