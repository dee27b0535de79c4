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
    private readonly CascadeScorer? _cascade;

    private ToxicScorer(ModelMetadata metadata, CommentFeaturizer featurizer, OnnxModelRunner runner, CascadeScorer? cascade = null)
    {
        Metadata = metadata;
        _featurizer = featurizer;
        _runner = runner;
        _cascade = cascade;
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

    /// <summary>The cascade strategy of a cascade directory (<see cref="ModelMetadata.Cascade"/>), or null for a single graph.</summary>
    public CascadeScorer? Cascade => _cascade;

    /// <summary>
    /// Loads the artifact in <paramref name="directory"/> (a single graph or a cascade), or the HuggingFace export
    /// there: no metadata.json, an ONNX graph (model.onnx or the only *.onnx) and vocab.txt; that export is tokenized
    /// with its own vocab.txt, not <paramref name="tokenizer"/> (see <see cref="HuggingFaceExportDescription"/>).
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

        var runner = new OnnxModelRunner(model);
        if (metadata.Cascade is { } band)
        {
            OnnxModelRunner? fastRunner = null;
            try
            {
                var fast = await File.ReadAllBytesAsync(Path.Combine(directory, band.File), cancellationToken);
                if (!string.Equals(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(fast)), band.FastModelSha256, StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidDataException($"{directory}: {band.File} is not the fast model its metadata describes (SHA-256 differs).");
                }

                // The routed comments run through the encoder model's graph one by one, with int8 weights unless the
                // metadata says otherwise (the cheaper pass); the batched float runner stays for scoring without the cascade.
                fastRunner = new OnnxModelRunner(fast);
                var encoder = OnnxModelRunner.PerComment(band.QuantizedEncoder ? EncoderQuantizer.Quantize(model) : model);
                return new ToxicScorer(metadata, new CommentFeaturizer(metadata.Features, tokenizer), runner, new CascadeScorer(band, fastRunner, encoder));
            }
            catch
            {
                fastRunner?.Dispose();
                runner.Dispose();
                throw;
            }
        }

        return new ToxicScorer(metadata, new CommentFeaturizer(metadata.Features, tokenizer), runner);
    }

    /// <summary>The probability that each comment is toxic, in order (the cascade's in a cascade directory).</summary>
    public float[] Score(IReadOnlyList<string> texts) =>
        _export is not null ? [.. _export.ScoreTexts(texts).Select(s => s.Probability)] : Run(_featurizer!.FeaturizeAll(texts));

    /// <summary>
    /// The probability of each comment by the graph of <see cref="ModelMetadata.Onnx"/> alone: in a cascade directory
    /// the encoder model for every comment (what the cascade saves), else the same as <see cref="Score"/>.
    /// </summary>
    public float[] ScoreWithoutCascade(IReadOnlyList<string> texts) =>
        _export is not null ? Score(texts) : _runner!.Run(_featurizer!.FeaturizeAll(texts));

    /// <summary>The cascade's probabilities with the fast model's and the routing of each comment.</summary>
    /// <exception cref="InvalidOperationException">The model is not a cascade.</exception>
    public CascadeScores ScoreCascade(IReadOnlyList<string> texts) =>
        (_cascade ?? throw new InvalidOperationException("The model is not a cascade.")).RunDetailed(_featurizer!.FeaturizeAll(texts));

    /// <summary>The probability, token count and truncation of each comment, in order.</summary>
    public ScoredText[] ScoreTexts(IReadOnlyList<string> texts)
    {
        if (_export is not null)
        {
            return _export.ScoreTexts(texts);
        }

        var features = _featurizer!.FeaturizeAll(texts);
        var probabilities = Run(features);
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
        _cascade?.Dispose();
        _runner?.Dispose();
        _export?.Dispose();
    }

    private float[] Run(CommentFeatures[] features) => _cascade is { } cascade ? cascade.Run(features) : _runner!.Run(features);
}
