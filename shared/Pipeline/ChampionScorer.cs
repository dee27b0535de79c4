using Microsoft.Extensions.Options;
using ToxicFunctions.Tokenization;
using ToxicFunctions.Training;

namespace ToxicFunctions.Pipeline;

/// <summary>
/// Serves the registered champion of <see cref="PipelineOptions.ModelName"/>: its model directory is downloaded from the
/// artifact store and loaded once per version; which version is champion is looked up again at most every
/// <see cref="RecheckInterval"/>, so a promotion or rollback is served within that time. A champion that cannot be
/// loaded is reported (<see cref="ChampionUnavailableException"/>) for that long too, not retried on every request. A
/// replaced model is disposed once the last request scoring with it is done. Thread-safe.
/// </summary>
public sealed class ChampionScorer(
    ModelRegistry registry, IArtifactStore store, WordPieceTokenizer tokenizer, IOptions<PipelineOptions> options, TimeProvider time) : IDisposable
{
    /// <summary>How long a champion lookup is trusted.</summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _lock = new(1, 1);
    private ChampionState _state = new(null, null, DateTimeOffset.MinValue);

    /// <summary>Scores <paramref name="texts"/> with the champion, or returns null when no champion is registered.</summary>
    /// <exception cref="ChampionUnavailableException">The champion's model cannot be loaded.</exception>
    public async Task<ChampionScores?> ScoreAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        while (true)
        {
            var model = await CurrentAsync(cancellationToken);
            if (model is null)
            {
                return null;
            }

            if (!model.Scorer.TryAcquire())
            {
                continue; // replaced and disposed meanwhile: look again
            }

            try
            {
                var scorer = model.Scorer.Value;
                return new ChampionScores(model.Name, model.Version, scorer.Threshold, scorer.Score(texts));
            }
            finally
            {
                model.Scorer.Release();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _state.Model?.Scorer.Retire();
        _lock.Dispose();
    }

    private async Task<LoadedModel?> CurrentAsync(CancellationToken cancellationToken)
    {
        var state = Volatile.Read(ref _state);
        if (time.GetUtcNow() - state.CheckedAt >= RecheckInterval)
        {
            await _lock.WaitAsync(cancellationToken);
            try
            {
                state = _state;
                if (time.GetUtcNow() - state.CheckedAt >= RecheckInterval)
                {
                    state = await LookUpAsync(state, cancellationToken);
                    Volatile.Write(ref _state, state);
                }
            }
            finally
            {
                _lock.Release();
            }
        }

        return state.Problem is { } problem ? throw new ChampionUnavailableException(problem) : state.Model;
    }

    private async Task<ChampionState> LookUpAsync(ChampionState state, CancellationToken cancellationToken)
    {
        var name = options.Value.ModelName;
        var champion = await registry.GetAliasAsync(name, ModelAliases.Champion, cancellationToken);
        var checkedAt = time.GetUtcNow();
        if (champion?.Version == state.Model?.Version)
        {
            return new ChampionState(state.Model, null, checkedAt);
        }

        LoadedModel? loaded = null;
        string? problem = null;
        if (champion is not null)
        {
            try
            {
                var scorer = await StoredModel.LoadScorerAsync(store, ModelEvaluator.PrefixOf(champion.ArtifactUri), tokenizer, cancellationToken);
                loaded = new LoadedModel(name, champion.Version, new RetiringResource<ToxicScorer>(scorer));
            }
            catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
            {
                problem = $"Champion version {champion.Version} of {name} cannot be loaded: {e.Message}";
            }
        }

        // The replaced model (also when the champion is gone or broken) is not served any more.
        state.Model?.Scorer.Retire();
        return new ChampionState(loaded, problem, checkedAt);
    }

    private sealed record ChampionState(LoadedModel? Model, string? Problem, DateTimeOffset CheckedAt);

    /// <summary>A loaded version, disposed once replaced and no request scores with it any more.</summary>
    private sealed record LoadedModel(string Name, int Version, RetiringResource<ToxicScorer> Scorer);
}
