using ToxicFunctions.Storage;
using ToxicFunctions.Tokenization;
using ToxicFunctions.Training;

namespace ToxicFunctions.Pipeline;

/// <summary>
/// Scores a stored model directory on a snapshot's test split with <see cref="ToxicScorer"/> (the ONNX graph, as
/// serving runs it), so that a new model and the champion are measured on the same rows.
/// </summary>
public sealed class ModelEvaluator(SnapshotExtractor snapshots, IArtifactStore store, WordPieceTokenizer tokenizer)
{
    /// <summary>Metrics of the model under <paramref name="artifactPrefix"/> on the test rows of snapshot <paramref name="snapshotSha256"/>.</summary>
    public async Task<ClassificationMetrics> EvaluateAsync(string artifactPrefix, string snapshotSha256, CancellationToken cancellationToken)
    {
        var rows = (await snapshots.ReadRowsAsync(snapshotSha256, cancellationToken)).Where(r => r.Split == SnapshotRow.Test).ToArray();
        using var scorer = await StoredModel.LoadScorerAsync(store, artifactPrefix, tokenizer, cancellationToken);
        var probabilities = scorer.Score(rows.Select(r => r.Text).ToArray()).Select(p => (double)p).ToArray();
        return ClassificationMetrics.Compute(probabilities, rows.Select(r => r.Label).ToArray(), scorer.Threshold);
    }

    /// <summary>
    /// The key prefix of a model directory given as its address, <c>s3://bucket/key/</c> or a blob URL (as
    /// <see cref="IArtifactStore.Uri"/> writes it; read by <see cref="ArtifactAddress.Parse"/>), ending in '/'.
    /// </summary>
    /// <exception cref="FormatException">Not such an address.</exception>
    public static string PrefixOf(string artifactUri)
    {
        var (_, key) = ArtifactAddress.Parse(artifactUri);
        return key.EndsWith('/') ? key : key + "/";
    }
}
