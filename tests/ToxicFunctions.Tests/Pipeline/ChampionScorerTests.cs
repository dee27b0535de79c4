using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ToxicFunctions.Pipeline;
using ToxicFunctions.Storage;
using ToxicFunctions.Tests.Infrastructure;
using ToxicFunctions.Tests.Training;
using ToxicFunctions.Tokenization;
using ToxicFunctions.Training;

namespace ToxicFunctions.Tests.Pipeline;

/// <summary>The champion's scorer on S3 (radosgw).</summary>
public sealed class ChampionScorerTests(TestDatabase database) : ChampionScorerCases(database, StorageProvider.S3), IClassFixture<TestDatabase>;

/// <summary>The champion's scorer with <c>Storage:Provider=Blob</c>: models loaded from Azurite, and found missing there.</summary>
public sealed class BlobChampionScorerTests(TestDatabase database) : ChampionScorerCases(database, StorageProvider.Blob), IClassFixture<TestDatabase>;

/// <summary>
/// The champion as served over HTTP, against the real PostgreSQL and object store: promotions are picked up after the recheck
/// interval, a champion whose files are gone is reported (not a crash, not the old model), and requests keep being
/// served while the champion changes under them (disposal after the last use: <see cref="RetiringResourceTests"/>).
/// On a database of its own per provider (the first case starts with no champion).
/// </summary>
public abstract class ChampionScorerCases(TestDatabase database, StorageProvider provider)
{
    private const string Model = "toxic-comments";

    [Fact]
    public async Task A_champion_that_cannot_be_loaded_is_reported_until_a_loadable_one_is_champion()
    {
        var clock = new ManualTime();
        await using var harness = await PipelineHarness.StartAsync(
            database, services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)), provider);
        var registry = harness.Get<ModelRegistry>();
        var scorer = harness.Get<ChampionScorer>();
        string[] texts = ["you are a stupid idiot", "thanks for the help"];

        Assert.Null(await scorer.ScoreAsync(texts, CancellationToken.None));

        var first = await RegisterAsync(harness, "models/champion-test/1/", upload: true);
        await registry.SetAliasAsync(Model, ModelAliases.Champion, first, "test", CancellationToken.None);
        clock.Advance(ToxicFunctions.Scoring.ScoringOptions.DefaultChampionRecheckInterval);
        var scores = await scorer.ScoreAsync(texts, CancellationToken.None);
        Assert.Equal(first, scores!.Version);

        // The next champion's files are missing: reported for every request, the replaced model no longer served.
        var broken = await RegisterAsync(harness, "models/champion-test/2/", upload: false);
        await registry.SetAliasAsync(Model, ModelAliases.Champion, broken, "test", CancellationToken.None);
        clock.Advance(ToxicFunctions.Scoring.ScoringOptions.DefaultChampionRecheckInterval);
        for (var i = 0; i < 2; i++)
        {
            var problem = await Assert.ThrowsAsync<ChampionUnavailableException>(() => scorer.ScoreAsync(texts, CancellationToken.None));
            Assert.Contains($"version {broken}", problem.Message, StringComparison.Ordinal);
        }

        // Rolled back: served again.
        await registry.RollbackAsync(Model, CancellationToken.None);
        clock.Advance(ToxicFunctions.Scoring.ScoringOptions.DefaultChampionRecheckInterval);
        Assert.Equal(first, (await scorer.ScoreAsync(texts, CancellationToken.None))!.Version);
    }

    [Fact]
    public async Task Requests_keep_scoring_while_the_champion_flips_between_versions()
    {
        var clock = new ManualTime();
        await using var harness = await PipelineHarness.StartAsync(
            database, services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)), provider);
        var registry = harness.Get<ModelRegistry>();
        var scorer = harness.Get<ChampionScorer>();
        int[] versions = [await RegisterAsync(harness, "models/flip-test/1/", upload: true), await RegisterAsync(harness, "models/flip-test/2/", upload: true)];
        var texts = SyntheticComments.Generate(300, seed: 9).Select(e => e.Text).ToArray();
        await registry.SetAliasAsync(Model, ModelAliases.Champion, versions[1], "start", CancellationToken.None);
        clock.Advance(ToxicFunctions.Scoring.ScoringOptions.DefaultChampionRecheckInterval);

        using var stop = new CancellationTokenSource();
        var requests = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            var served = 0;
            while (!stop.IsCancellationRequested)
            {
                // A request gives its thread back between calls, as a served one does: scoring a cached champion completes
                // synchronously, and three loops that never yield held the pool's threads from the test's own awaits.
                await Task.Yield();
                if (await scorer.ScoreAsync(texts, CancellationToken.None) is { } scores)
                {
                    Assert.Equal(texts.Length, scores.Probabilities.Length);
                    served++;
                }
            }

            return served;
        })).ToArray();

        for (var flip = 0; flip < 12; flip++)
        {
            await registry.SetAliasAsync(Model, ModelAliases.Champion, versions[flip % 2], "flip", CancellationToken.None);
            clock.Advance(ToxicFunctions.Scoring.ScoringOptions.DefaultChampionRecheckInterval);
            await Task.Delay(30);
        }

        await stop.CancelAsync();
        Assert.All(await Task.WhenAll(requests), served => Assert.True(served > 0));
    }

    private async Task<int> RegisterAsync(PipelineHarness harness, string prefix, bool upload)
    {
        var store = harness.Get<IArtifactStore>();
        if (upload)
        {
            var directory = Directory.CreateTempSubdirectory("champion-model-");
            try
            {
                await new ModelTrainingService(WordPieceTokenizer.DistilBertBaseUncased).TrainAsync(
                    SyntheticComments.Generate(300, seed: 5), new TrainingRequest { Features = new FeatureSettings { EncoderLayers = 0 } }, directory.FullName);
                foreach (var file in directory.GetFiles())
                {
                    await store.PutFileAsync(prefix + file.Name, file.FullName, "application/octet-stream", CancellationToken.None);
                }
            }
            finally
            {
                directory.Delete(recursive: true);
            }
        }

        return await RegistryRows.RegisterAsync(harness.Services, database, Model, store.Uri(prefix));
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks = DateTimeOffset.UnixEpoch.Ticks;

        public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
