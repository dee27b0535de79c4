using ToxicFunctions.Tokenization;

namespace ToxicFunctions.Training;

/// <summary>
/// Scores comments with a model directory: the shared <see cref="CommentFeaturizer"/> (settings from the artifact's
/// metadata) feeds the artifact's ONNX graph run by ONNX Runtime. A directory without our metadata.json that holds
/// an ONNX graph and vocab.txt is a HuggingFace sequence-classification export instead, scored by its own graph on
/// our tokenizer's ids (see <see cref="Export"/>). Thread-safe.
/// </summary>
public sealed class ToxicScorer : IDisposable
{
    private readonly CommentFeaturizer? _featurizer;
    private readonly OnnxModelRunner? _runner;
    private readonly HuggingFaceExportScorer? _export;

    private ToxicScorer(ModelMetadata metadata, CommentFeaturizer featurizer, OnnxModelRunner runner)
    {
        Metadata = metadata;
        _featurizer = featurizer;
        _runner = runner;
    }

    private ToxicScorer(HuggingFaceExportScorer export)
    {
        _export = export;
    }

    /// <summary>The artifact's metadata; null when the directory is a HuggingFace export (see <see cref="Export"/>).</summary>
    public ModelMetadata? Metadata { get; }

    /// <summary>The HuggingFace export's name, files, length limit, classes and threshold; null for our artifact.</summary>
    public HuggingFaceExportDescription? Export => _export?.Description;

    /// <summary>Probabilities at or above this are labelled toxic.</summary>
    public double Threshold => Export?.Threshold ?? Metadata!.Threshold;

    /// <summary>
    /// Loads the artifact in <paramref name="directory"/>, or the HuggingFace export there: no metadata.json, an ONNX
    /// graph (model.onnx or the only *.onnx) and vocab.txt; that export is tokenized with its own vocab.txt, not
    /// <paramref name="tokenizer"/> (see <see cref="HuggingFaceExportDescription"/>).
    /// </summary>
    /// <exception cref="InvalidDataException">The directory holds no artifact or export this code can score with; the message says why.</exception>
    public static async Task<ToxicScorer> LoadAsync(string directory, WordPieceTokenizer tokenizer, CancellationToken cancellationToken = default)
    {
        if (HuggingFaceExportScorer.IsExport(directory))
        {
            return new ToxicScorer(await HuggingFaceExportScorer.LoadAsync(directory, cancellationToken));
        }

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
    public float[] Score(IReadOnlyList<string> texts) =>
        _export is not null ? [.. _export.ScoreTexts(texts).Select(s => s.Probability)] : _runner!.Run(_featurizer!.FeaturizeAll(texts));

    /// <summary>The probability, token count and truncation of each comment, in order.</summary>
    public ScoredText[] ScoreTexts(IReadOnlyList<string> texts)
    {
        if (_export is not null)
        {
            return _export.ScoreTexts(texts);
        }

        var features = _featurizer!.FeaturizeAll(texts);
        var probabilities = _runner!.Run(features);
        var scored = new ScoredText[features.Length];
        for (var i = 0; i < scored.Length; i++)
        {
            scored[i] = new ScoredText(probabilities[i], features[i].Tokens, features[i].Truncated);
        }

        return scored;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _runner?.Dispose();
        _export?.Dispose();
    }
}
