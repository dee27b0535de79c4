using Microsoft.DurableTask.Client;
using ToxicFunctions.Orchestrations;
using ToxicFunctions.Pipeline;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Pipeline;

/// <summary>A transient activity failure (the object store drops the snapshot upload once) is retried and the pipeline completes.</summary>
public sealed class TransientFailureTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_failed_snapshot_upload_is_retried_and_the_pipeline_completes()
    {
        await PipelineHarness.IngestSampleAsync(database);
        FlakyArtifactStore? flaky = null;
        await using var harness = await PipelineHarness.StartAsync(database, store => flaky = new FlakyArtifactStore(store, failures: 1));

        var instance = await harness.RunAsync(new PipelineRequest("test"));

        Assert.True(instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{instance.RuntimeStatus}: {instance.FailureDetails}");
        Assert.NotNull(flaky);
        Assert.Equal(1, flaky.FailedWrites);
        var result = instance.ReadOutputAs<PipelineResult>()!;
        Assert.True(result.Promoted);
        var keys = await harness.Get<IArtifactStore>().ListAsync("snapshots/", CancellationToken.None);
        Assert.Contains(SnapshotKeys.Manifest(result.Snapshot), keys);
    }
}
