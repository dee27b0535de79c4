using Microsoft.DurableTask.Client;
using ToxicFunctions.Orchestrations;
using ToxicFunctions.Pipeline;
using ToxicFunctions.Storage;
using ToxicFunctions.Tests.Infrastructure;
using ToxicFunctions.Training;

namespace ToxicFunctions.Tests.Pipeline;

/// <summary>Promotion on S3 (radosgw).</summary>
public sealed class PromotionTests(TestDatabase database) : PromotionCases(database, StorageProvider.S3), IClassFixture<TestDatabase>;

/// <summary>Promotion with <c>Storage:Provider=Blob</c>: the champion is read back, and found missing, in Azurite.</summary>
public sealed class BlobPromotionTests(TestDatabase database) : PromotionCases(database, StorageProvider.Blob), IClassFixture<TestDatabase>;

/// <summary>
/// A worse model is registered but not promoted: the champion stays, the new version becomes challenger; a champion
/// whose files are gone is replaced. On a database of its own per provider (each expects versions 1 to 3).
/// </summary>
public abstract class PromotionCases(TestDatabase database, StorageProvider provider)
{
    [Fact]
    public async Task A_worse_model_is_registered_as_challenger_and_the_champion_stays()
    {
        await PipelineHarness.IngestSampleAsync(database);
        await using var harness = await PipelineHarness.StartAsync(database, provider: provider);

        var first = (await harness.RunAsync(new PipelineRequest("test"))).ReadOutputAs<PipelineResult>()!;
        Assert.True(first.Promoted);

        // Two optimizer iterations from zero: a much weaker fit of the same snapshot.
        var worse = await harness.RunAsync(new PipelineRequest("test", Trainer: new TrainerOptions { MaxIterations = 2 }));

        Assert.True(worse.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{worse.RuntimeStatus}: {worse.FailureDetails}");
        var second = worse.ReadOutputAs<PipelineResult>()!;
        Assert.Equal(first.Snapshot, second.Snapshot);
        Assert.Equal(2, second.Version);
        Assert.False(second.Promoted);
        Assert.Equal(ModelAliases.Challenger, second.Alias);
        Assert.True(second.Test.Auc < first.Test.Auc, $"{second.Test.Auc} vs {first.Test.Auc}");
        var progress = worse.ReadCustomStatusAs<PipelineProgress>()!;
        Assert.Equal(first.Test.Auc, progress.Metrics!["champion.auc"], 6);

        var registry = harness.Get<ModelRegistry>();
        Assert.Equal(1, (await registry.GetAliasAsync("toxic-comments", ModelAliases.Champion, CancellationToken.None))!.Version);
        var versions = await registry.ListVersionsAsync("toxic-comments", CancellationToken.None);
        Assert.Equal([2, 1], versions.Select(v => v.Version));
        Assert.Equal([ModelAliases.Challenger], versions[0].Aliases);

        // Promoting by hand and rolling back restores the champion.
        await registry.SetAliasAsync("toxic-comments", ModelAliases.Champion, 2, "manual", CancellationToken.None);
        var restored = await registry.RollbackAsync("toxic-comments", CancellationToken.None);
        Assert.Equal(1, restored!.Version);
        Assert.Equal(1, (await registry.GetAliasAsync("toxic-comments", ModelAliases.Champion, CancellationToken.None))!.Version);

        // A champion whose model files are gone (an object store that lost its data) cannot be scored or served: the
        // next run says so and replaces it instead of failing every time.
        var store = harness.Get<IArtifactStore>();
        var lost = ModelEvaluator.PrefixOf(restored.ArtifactUri) + ModelArtifact.ModelFile;
        await store.DeleteAsync(lost, CancellationToken.None);
        Assert.False(await store.ExistsAsync(lost, CancellationToken.None));
        var replacing = await harness.RunAsync(new PipelineRequest("test"));

        Assert.True(replacing.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{replacing.RuntimeStatus}: {replacing.FailureDetails}");
        var third = replacing.ReadOutputAs<PipelineResult>()!;
        Assert.Equal(3, third.Version);
        Assert.True(third.Promoted);
        Assert.Contains("champion version 1 cannot be scored", third.Reason, StringComparison.Ordinal);
        Assert.Equal(3, (await registry.GetAliasAsync("toxic-comments", ModelAliases.Champion, CancellationToken.None))!.Version);
    }
}
