using Microsoft.Extensions.DependencyInjection;
using ToxicFunctions.Pipeline;
using ToxicFunctions.Tests.Infrastructure;
using ToxicFunctions.Training;

namespace ToxicFunctions.Tests.Pipeline;

/// <summary>Registry rows written directly, without a pipeline run: a snapshot, a run of it, a registered version.</summary>
internal static class RegistryRows
{
    public static readonly string Snapshot = new('a', 64);

    /// <summary>Records the snapshot row the runs refer to (once).</summary>
    public static Task AddSnapshotAsync(TestDatabase database) => database.ExecuteAsync(
        $"INSERT INTO ml.snapshots (sha256, data_uri, manifest_uri, row_count, manifest) VALUES ('{Snapshot}', 's3://d', 's3://m', 0, '{{}}') ON CONFLICT DO NOTHING");

    public static RunStart NewRun(Guid runId, string experiment) =>
        new(runId, experiment, null, Snapshot, new Dictionary<string, object?>(), new Dictionary<string, string>());

    /// <summary>Starts a run of the snapshot and registers it as the next version of <paramref name="model"/>; returns the version.</summary>
    public static async Task<int> RegisterAsync(IServiceProvider services, TestDatabase database, string model, string artifactUri)
    {
        await AddSnapshotAsync(database);
        var runId = Guid.NewGuid();
        await services.GetRequiredService<ExperimentTracker>().StartRunAsync(NewRun(runId, model), CancellationToken.None);
        return await services.GetRequiredService<ModelRegistry>().RegisterAsync(
            model, runId, Snapshot, artifactUri, new ClassificationMetrics { Count = 10, Positives = 5, Threshold = 0.45, Auc = 0.9 }, CancellationToken.None);
    }
}
