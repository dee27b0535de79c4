using ToxicFunctions.Training;

namespace ToxicFunctions.Scoring;

/// <summary>Serves one model directory for the lifetime of the process (<c>toxic serve --model DIR</c>).</summary>
/// <param name="model">The loaded model; disposed with this source.</param>
public sealed class DirectoryModelSource(ServedModel model) : ModelSource, IDisposable
{
    /// <summary>The model served.</summary>
    public ServedModel Model { get; } = model;

    /// <summary>Loads the model in <paramref name="directory"/>; it is served under the directory's name, without a version.</summary>
    /// <exception cref="InvalidDataException">The directory holds no model this code can score with.</exception>
    public static async Task<DirectoryModelSource> LoadAsync(string directory, Tokenization.WordPieceTokenizer tokenizer, CancellationToken cancellationToken)
    {
        var scorer = await ToxicScorer.LoadAsync(directory, tokenizer, cancellationToken);
        return new DirectoryModelSource(new ServedModel(new DirectoryInfo(directory).Name, null, scorer));
    }

    /// <inheritdoc />
    public override ValueTask<ModelLease?> AcquireAsync(CancellationToken cancellationToken) => ValueTask.FromResult<ModelLease?>(new ModelLease(Model, static () => { }));

    /// <inheritdoc />
    public void Dispose() => Model.Scorer.Dispose();
}
