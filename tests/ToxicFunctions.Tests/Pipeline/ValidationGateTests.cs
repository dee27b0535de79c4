using Microsoft.DurableTask.Client;
using ToxicFunctions.Orchestrations;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Pipeline;

/// <summary>An error-level data-quality failure stops the pipeline: Failed, with the report's location, nothing trained.</summary>
public sealed class ValidationGateTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_label_outside_0_1_in_staging_fails_the_orchestration_with_the_report_location()
    {
        var load = await StagingRows.AddLoadAsync(database);
        await StagingRows.AddBatchAsync(database, load, 2, Guid.CreateVersion7(), "a fine comment", 0, StagingRows.Tokens(5));
        await StagingRows.AddBatchAsync(database, load, 3, Guid.CreateVersion7(), "a bad label", 2, StagingRows.Tokens(5));
        await using var harness = await PipelineHarness.StartAsync(database);

        var instance = await harness.RunAsync(new PipelineRequest("test"));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, instance.RuntimeStatus);
        var failure = instance.FailureDetails!;
        Assert.Contains("Validate", failure.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("labels_accepted", failure.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains($"s3://{harness.Bucket}/validations/", failure.ErrorMessage, StringComparison.Ordinal);
        var progress = instance.ReadCustomStatusAs<PipelineProgress>()!;
        Assert.Equal("Failed", progress.Stage);
        Assert.Equal(["Transform"], progress.Completed);

        // The gate is a decision, not an accident: one validation run (no retries), no snapshot, no run.
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM ml.validation_runs"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM ml.snapshots"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM ml.runs"));
    }
}
