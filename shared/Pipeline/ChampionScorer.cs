using Microsoft.Extensions.Options;
using ToxicFunctions.Scoring;
using ToxicFunctions.Tokenization;
using ToxicFunctions.Training;

namespace ToxicFunctions.Pipeline;

/// <summary>
/// Serves the registered champion of <see cref="PipelineOptions.ModelName"/>: its model directory is downloaded from the
/// artifact store and loaded once per version; which version is champion is looked up again at most every
/// <see cref="ScoringOptions.ChampionRecheckInterval"/>, so a promotion or rollback is served within that time. The
/// request that finds the answer stale looks it up (and loads a new version) while concurrent requests go on with the
/// current version, so a swap fails no request and stalls at most one. A champion that cannot be loaded is reported
/// (<see cref="ChampionUnavailableException"/>) for that long too, not retried on every request. A replaced model is
/// disposed once the last batch scoring with it is done. Thread-safe.
/// </summary>
public sealed class ChampionScorer(
    ModelRegistry registry,
    IArtifactStore store,
    WordPieceTokenizer tokenizer,
    IOptions<PipelineOptions> options,
    IOptions<ScoringOptions> scoring,
    TimeProvider time) : ModelSource, IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private ChampionState _state = new(null, null, DateTimeOffset.MinValue);

    /// <inheritdoc />
    public override async ValueTask<ModelLease?> AcquireAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var model = await CurrentAsync(cancellationToken);
            if (model is null)
            {
                return null;
            }

            if (model.Scorer.TryAcquire())
            {
                return new ModelLease(new ServedModel(model.Name, model.Version, model.Scorer.Value), model.Scorer.Release);
            }

            // Replaced and retired meanwhile: look again.
        }
    }

    /// <summary>Scores <paramref name="texts"/> with the champion in one run (no batching with other callers), or returns null when no champion is registered.</summary>
    /// <exception cref="ChampionUnavailableException">The champion's model cannot be loaded.</exception>
    public async Task<ChampionScores?> ScoreAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        using var lease = await AcquireAsync(cancellationToken);
        if (lease is null)
        {
            return null;
        }

        var scorer = lease.Model.Scorer;
        return new ChampionScores(lease.Model.Name, lease.Model.Version!.Value, scorer.Threshold, scorer.Score(texts));
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
        if (time.GetUtcNow() - state.CheckedAt >= scoring.Value.ChampionRecheckInterval)
        {
            // The first lookup is waited for by everyone; later ones by the request that takes the lock, while the
            // others go on with the version they have.
            if (state.CheckedAt == DateTimeOffset.MinValue)
            {
                await _lock.WaitAsync(cancellationToken);
            }
            else if (!await _lock.WaitAsync(0, cancellationToken))
            {
                return state.Problem is { } stale ? throw new ChampionUnavailableException(stale) : state.Model;
            }

            try
            {
                state = _state;
                if (time.GetUtcNow() - state.CheckedAt >= scoring.Value.ChampionRecheckInterval)
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
