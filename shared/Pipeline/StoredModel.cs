using ToxicFunctions.Tokenization;
using ToxicFunctions.Training;

namespace ToxicFunctions.Pipeline;

/// <summary>Loads a model directory kept in the artifact store for scoring.</summary>
internal static class StoredModel
{
    /// <summary>
    /// Downloads the scoring files (model.onnx, metadata.json) of the model directory under <paramref name="prefix"/> into
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
            foreach (var file in new[] { ModelArtifact.ModelFile, ModelArtifact.MetadataFile })
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
