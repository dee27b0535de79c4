using ToxicFunctions.Tokenization;

namespace ToxicFunctions.Training;

/// <summary>
/// Scores comments with a model directory: the shared <see cref="CommentFeaturizer"/> (settings from the artifact's
/// metadata) feeds the artifact's ONNX graph run by ONNX Runtime. Thread-safe.
/// </summary>
public sealed class ToxicScorer : IDisposable
{
    private readonly CommentFeaturizer _featurizer;
    private readonly OnnxModelRunner _runner;

    private ToxicScorer(ModelMetadata metadata, CommentFeaturizer featurizer, OnnxModelRunner runner)
    {
        Metadata = metadata;
        _featurizer = featurizer;
        _runner = runner;
    }

    /// <summary>The artifact's metadata.</summary>
    public ModelMetadata Metadata { get; }

    /// <summary>Probabilities at or above this are labelled toxic.</summary>
    public double Threshold => Metadata.Threshold;

    /// <summary>Loads the artifact in <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidDataException">The directory holds no artifact this code can score with.</exception>
    public static async Task<ToxicScorer> LoadAsync(string directory, WordPieceTokenizer tokenizer, CancellationToken cancellationToken = default)
    {
        var metadata = await ModelArtifact.ReadMetadataAsync(directory, cancellationToken);
        if (metadata.Tokenizer != "distilbert-base-uncased")
        {
            throw new InvalidDataException($"The model needs tokenizer {metadata.Tokenizer}; only distilbert-base-uncased is available.");
        }

        var model = await File.ReadAllBytesAsync(Path.Combine(directory, metadata.Onnx.File), cancellationToken);

        // A training run interrupted after writing the graph leaves it beside the previous run's metadata: refuse the pair.
        if (!string.IsNullOrEmpty(metadata.ModelSha256)
            && !string.Equals(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(model)), metadata.ModelSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"{directory}: {metadata.Onnx.File} is not the model its metadata describes (SHA-256 differs).");
        }

        return new ToxicScorer(metadata, new CommentFeaturizer(metadata.Features, tokenizer), new OnnxModelRunner(model));
    }

    /// <summary>The probability that each comment is toxic, in order.</summary>
    public float[] Score(IReadOnlyList<string> texts) => _runner.Run(_featurizer.FeaturizeAll(texts));

    /// <summary>The probability, token count and truncation of each comment, in order.</summary>
    public ScoredText[] ScoreTexts(IReadOnlyList<string> texts)
    {
        var features = _featurizer.FeaturizeAll(texts);
        var probabilities = _runner.Run(features);
        var scored = new ScoredText[features.Length];
        for (var i = 0; i < scored.Length; i++)
        {
            scored[i] = new ScoredText(probabilities[i], features[i].Tokens, features[i].Truncated);
        }

        return scored;
    }

    /// <inheritdoc />
    public void Dispose() => _runner.Dispose();
}
