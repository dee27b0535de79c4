using ToxicFunctions.Tokenization;
using ToxicFunctions.Training;

namespace ToxicFunctions.Pipeline;

/// <summary>Loads a model directory kept in the artifact store for scoring.</summary>
internal static class StoredModel
{
    /// <summary>
    /// Downloads the scoring files (metadata.json, model.onnx and a cascade's fast.onnx) of the model directory under <paramref name="prefix"/> into
    /// a temporary folder, loads them (ONNX Runtime keeps the graph in memory) and removes the folder.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file of the model directory is missing from the store.</exception>
    public static async Task<ToxicScorer> LoadScorerAsync(
        IArtifactStore store, string prefix, WordPieceTokenizer tokenizer, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"toxic-model-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            // The metadata names the graphs: model.onnx, and a cascade's fast model too.
            await store.GetFileAsync(prefix + ModelArtifact.MetadataFile, Path.Combine(directory, ModelArtifact.MetadataFile), cancellationToken);
            var files = await ModelArtifact.ScoringFilesAsync(directory, cancellationToken);
            foreach (var file in files.Where(f => f != ModelArtifact.MetadataFile))
            {
                await store.GetFileAsync(prefix + file, Path.Combine(directory, file), cancellationToken);
            }

            return await ToxicScorer.LoadAsync(directory, tokenizer, cancellationToken);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
