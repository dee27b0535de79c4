using Microsoft.DurableTask.Client;
using ToxicFunctions.Orchestrations;
using ToxicFunctions.Pipeline;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Pipeline;

/// <summary>A stage after Train fails for good: the orchestration fails and the trained run is recorded failed, not left running.</summary>
public sealed class FailedEvaluationTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_run_whose_evaluation_fails_is_marked_failed()
    {
        await PipelineHarness.IngestSampleAsync(database);
        await using var harness = await PipelineHarness.StartAsync(database, store => new UnreadableArtifactStore(store));

        var instance = await harness.RunAsync(new PipelineRequest("test"));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, instance.RuntimeStatus);
        Assert.Contains("The Evaluate stage failed", instance.FailureDetails?.ErrorMessage, StringComparison.Ordinal);
        var run = Assert.Single(await harness.Get<ExperimentTracker>().ListRunsAsync(null, 10, CancellationToken.None));
        Assert.Equal("failed", run.Status);
        Assert.NotNull(run.DurationSeconds);
        Assert.Empty(await harness.Get<ModelRegistry>().ListVersionsAsync(null, CancellationToken.None));
    }

    /// <summary>The real store, except that nothing can be read back (models are written, never scored).</summary>
    private sealed class UnreadableArtifactStore(IArtifactStore inner) : IArtifactStore
    {
        public string Uri(string key) => inner.Uri(key);

        public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken) => inner.ExistsAsync(key, cancellationToken);

        public Task PutFileAsync(string key, string path, string contentType, CancellationToken cancellationToken) =>
            inner.PutFileAsync(key, path, contentType, cancellationToken);

        public Task PutTextAsync(string key, string content, string contentType, CancellationToken cancellationToken) =>
            inner.PutTextAsync(key, content, contentType, cancellationToken);

        public Task<bool> TryCreateTextAsync(string key, string content, string contentType, CancellationToken cancellationToken) =>
            inner.TryCreateTextAsync(key, content, contentType, cancellationToken);

        public Task<string> GetTextAsync(string key, CancellationToken cancellationToken) =>
            key.StartsWith("models/", StringComparison.Ordinal)
                ? throw new InvalidDataException($"Injected: {key} cannot be read.")
                : inner.GetTextAsync(key, cancellationToken);

        public Task GetFileAsync(string key, string path, CancellationToken cancellationToken) =>
            key.StartsWith("models/", StringComparison.Ordinal)
                ? throw new InvalidDataException($"Injected: {key} cannot be read.")
                : inner.GetFileAsync(key, path, cancellationToken);

        public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken) => inner.ListAsync(prefix, cancellationToken);

        public Task<IReadOnlyList<StoredObject>> ListObjectsAsync(string prefix, CancellationToken cancellationToken) => inner.ListObjectsAsync(prefix, cancellationToken);

        public Task DeleteAsync(string key, CancellationToken cancellationToken) => inner.DeleteAsync(key, cancellationToken);
    }
}
