using Microsoft.DurableTask.Client;
using ToxicFunctions.Orchestrations;
using ToxicFunctions.Pipeline;
using ToxicFunctions.Storage;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Pipeline;

/// <summary>The validation gate on S3 (radosgw).</summary>
public sealed class ValidationGateTests(TestDatabase database) : ValidationGateCases(database, StorageProvider.S3), IClassFixture<TestDatabase>;

/// <summary>The validation gate with <c>Storage:Provider=Blob</c>: the report, and the location the failure names, in Azurite.</summary>
public sealed class BlobValidationGateTests(TestDatabase database) : ValidationGateCases(database, StorageProvider.Blob), IClassFixture<TestDatabase>;

/// <summary>
/// An error-level data-quality failure stops the pipeline: Failed, with the report's location, nothing trained. On a
/// database of its own per provider (the case counts its runs).
/// </summary>
public abstract class ValidationGateCases(TestDatabase database, StorageProvider provider)
{
    [Fact]
    public async Task A_label_outside_0_1_in_staging_fails_the_orchestration_with_the_report_location()
    {
        var load = await StagingRows.AddLoadAsync(database);
        await StagingRows.AddBatchAsync(database, load, 2, Guid.CreateVersion7(), "a fine comment", 0, StagingRows.Tokens(5));
        await StagingRows.AddBatchAsync(database, load, 3, Guid.CreateVersion7(), "a bad label", 2, StagingRows.Tokens(5));
        await using var harness = await PipelineHarness.StartAsync(database, provider: provider);

        var instance = await harness.RunAsync(new PipelineRequest("test"));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, instance.RuntimeStatus);
        var failure = instance.FailureDetails!;
        Assert.Contains("Validate", failure.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("labels_accepted", failure.ErrorMessage, StringComparison.Ordinal);
        var reports = harness.Get<IArtifactStore>().Uri("validations/");
        Assert.StartsWith(provider == StorageProvider.Blob ? "http://127.0.0.1:10000/" : "s3://", reports, StringComparison.Ordinal);
        Assert.Contains(reports, failure.ErrorMessage, StringComparison.Ordinal);

        // The report it names is there to read.
        var html = System.Text.RegularExpressions.Regex.Match(failure.ErrorMessage, @"validations/[0-9a-f-]{36}/index\.html");
        Assert.True(html.Success, failure.ErrorMessage);
        Assert.Contains("labels_accepted", await harness.Get<IArtifactStore>().GetTextAsync(html.Value, CancellationToken.None), StringComparison.Ordinal);
        var progress = instance.ReadCustomStatusAs<PipelineProgress>()!;
        Assert.Equal("Failed", progress.Stage);
        Assert.Equal(["Transform"], progress.Completed);

        // The gate is a decision, not an accident: one validation run (no retries), no snapshot, no run.
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM ml.validation_runs"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM ml.snapshots"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM ml.runs"));
    }
}
