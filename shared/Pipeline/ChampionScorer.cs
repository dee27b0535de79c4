using Microsoft.Extensions.Options;
using ToxicFunctions.Tokenization;
using ToxicFunctions.Training;

namespace ToxicFunctions.Pipeline;

/// <summary>
/// Serves the registered champion of <see cref="PipelineOptions.ModelName"/>: its model directory is downloaded from the
/// artifact store and loaded once per version; which version is champion is looked up again at most every
/// <see cref="RecheckInterval"/>, so a promotion or rollback is served within that time. Thread-safe.
/// </summary>
public sealed class ChampionScorer(
    ModelRegistry registry, IArtifactStore store, WordPieceTokenizer tokenizer, IOptions<PipelineOptions> options, TimeProvider time) : IDisposable
{
    /// <summary>How long a champion lookup is trusted.</summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _lock = new(1, 1);
    private LoadedModel? _current;
    private LoadedModel? _previous;
    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;

    /// <summary>Scores <paramref name="texts"/> with the champion, or returns null when no champion is registered.</summary>
    public async Task<ChampionScores?> ScoreAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var model = await CurrentAsync(cancellationToken);
        if (model is null)
        {
            return null;
        }

        var probabilities = model.Scorer.Score(texts);
        return new ChampionScores(model.Name, model.Version, model.Scorer.Threshold, probabilities);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _current?.Scorer.Dispose();
        _previous?.Scorer.Dispose();
        _lock.Dispose();
    }

    private async Task<LoadedModel?> CurrentAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && time.GetUtcNow() - _checkedAt < RecheckInterval)
        {
            return current;
        }

        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_current is not null && time.GetUtcNow() - _checkedAt < RecheckInterval)
            {
                return _current;
            }

            var name = options.Value.ModelName;
            var champion = await registry.GetAliasAsync(name, ModelAliases.Champion, cancellationToken);
            _checkedAt = time.GetUtcNow();
            if (champion is null || champion.Version == _current?.Version)
            {
                return champion is null ? null : _current;
            }

            var scorer = await StoredModel.LoadScorerAsync(store, ModelEvaluator.PrefixOf(champion.ArtifactUri), tokenizer, cancellationToken);
            var loaded = new LoadedModel(name, champion.Version, scorer);

            // A request may still be scoring with the model being replaced: it is disposed one replacement later.
            _previous?.Scorer.Dispose();
            _previous = _current;
            Volatile.Write(ref _current, loaded);
            return loaded;
        }
        finally
        {
            _lock.Release();
        }
    }

    private sealed record LoadedModel(string Name, int Version, ToxicScorer Scorer);
}
