using Azure.Storage.Blobs;
using Microsoft.DurableTask.Client;
using ToxicFunctions.Orchestrations;
using ToxicFunctions.Pipeline;
using ToxicFunctions.Storage;
using ToxicFunctions.Tests.Infrastructure;
using ToxicFunctions.Training;

namespace ToxicFunctions.Tests.Pipeline;

/// <summary>The whole training orchestration against the real PostgreSQL and S3 (radosgw), on the in-process Durable backend.</summary>
public sealed class TrainingPipelineTests(TestDatabase database) : TrainingPipelineRun(database, StorageProvider.S3), IClassFixture<TestDatabase>;

/// <summary>The same run with <c>Storage:Provider=Blob</c>: artifacts, snapshot and reports in Azurite (issue 15).</summary>
public sealed class BlobTrainingPipelineTests(TestDatabase database) : TrainingPipelineRun(database, StorageProvider.Blob), IClassFixture<TestDatabase>;

/// <summary>The training run's checks, on a database of its own per provider (each expects to register version 1).</summary>
public abstract class TrainingPipelineRun(TestDatabase database, StorageProvider provider)
{
    [Fact]
    public async Task Staged_comments_end_as_a_registered_champion_with_snapshot_run_and_artifacts()
    {
        var sample = await PipelineHarness.IngestSampleAsync(database);

        // The AUC every split must beat: 0.9 on the real sample's 3,000 comments; 0.95 on the generated fixture's. The
        // snapshot's row order (by UUIDv7 id), hence its test split, changes from run to run: over 12 splits the real
        // comments' test AUC ranged 0.942-0.981, over 30 the fixture's 0.966-0.999 (mean 0.987; its signal is plainer),
        // where a fit stopped after two optimizer iterations stayed below 0.95.
        var minAuc = sample.IsReal ? 0.9 : 0.95;
        await using var harness = await PipelineHarness.StartAsync(database, provider: provider);

        var instance = await harness.RunAsync(new PipelineRequest("test"));

        Assert.True(instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{instance.RuntimeStatus}: {instance.FailureDetails}");
        var result = instance.ReadOutputAs<PipelineResult>()!;
        Assert.True(result.Promoted);
        Assert.Equal(ModelAliases.Champion, result.Alias);
        Assert.Equal(1, result.Version);
        Assert.True(result.Test.Auc > minAuc, $"test AUC {result.Test.Auc} on {sample}");

        // Encoder features are kept once per comment text, so a later run only reads them.
        Assert.Equal(
            await database.ScalarAsync<long>("SELECT count(DISTINCT comment_text) FROM production.comments"),
            await database.ScalarAsync<long>("SELECT count(*) FROM ml.comment_encodings"));

        var progress = instance.ReadCustomStatusAs<PipelineProgress>()!;
        Assert.Equal("Completed", progress.Stage);
        Assert.Equal(["Transform", "Validate", "ExtractSnapshot", "Train", "Evaluate", "Register", "Promote"], progress.Completed);
        Assert.Equal(result.Test.Auc, progress.Metrics!["test.auc"]);

        // The snapshot: manifest in the bucket, describing exactly production.
        var production = await database.ScalarAsync<long>("SELECT count(*) FROM production.comments");
        var toxic = await database.ScalarAsync<long>("SELECT count(*) FROM production.comments WHERE labels = 1");
        var snapshots = harness.Get<SnapshotExtractor>();
        var manifest = await snapshots.ReadManifestAsync(result.Snapshot, CancellationToken.None);
        Assert.Equal(result.Snapshot, manifest.Sha256);
        Assert.Equal(production, manifest.RowCount);
        Assert.Equal(toxic, manifest.LabelCounts["1"]);
        Assert.Equal(42, manifest.Split.Seed);
        Assert.Equal(manifest.RowCount, manifest.Split.TrainRows + manifest.Split.TestRows);
        Assert.Equal(SnapshotExtractor.SourceQuery, manifest.SourceQuery);
        Assert.Equal(SnapshotManifest.CurrentSchemaVersion, manifest.SchemaVersion);
        Assert.Equal(result.Test.Count, manifest.Split.TestRows);

        // The same data gives the same hash and is not written again.
        var again = await snapshots.ExtractAsync(42, 0.2, CancellationToken.None);
        Assert.Equal(result.Snapshot, again.Sha256);
        Assert.False(again.Written);

        // The run: finished, with metrics of every split, the snapshot and the code version.
        var run = Assert.Single(await harness.Get<ExperimentTracker>().ListRunsAsync(null, 10, CancellationToken.None));
        Assert.Equal(result.RunId, run.RunId);
        Assert.Equal("finished", run.Status);
        Assert.Equal(result.Snapshot, run.SnapshotSha256);
        Assert.Equal(instance.InstanceId, run.PipelineInstanceId);
        Assert.NotNull(run.DurationSeconds);
        Assert.False(string.IsNullOrEmpty(run.CodeVersion));
        foreach (var split in new[] { "training", "holdout", "test" })
        {
            var auc = run.Metrics.GetProperty(split).GetProperty("auc").GetDouble();
            Assert.True(auc > minAuc, $"{split} AUC {auc} on {sample}");
        }

        Assert.Equal(result.Test.Auc, run.Metrics.GetProperty("test").GetProperty("auc").GetDouble());
        Assert.Equal(42, run.Params.GetProperty("seed").GetInt32());

        // The registry: version 1 is champion and records the snapshot it was trained on.
        var champion = await harness.Get<ModelRegistry>().GetAliasAsync("toxic-comments", ModelAliases.Champion, CancellationToken.None);
        Assert.NotNull(champion);
        Assert.Equal(1, champion.Version);
        Assert.Equal(result.Snapshot, champion.SnapshotSha256);
        Assert.Equal(result.RunId, champion.RunId);
        Assert.Equal(result.Test.Auc, champion.TestAuc);

        // The bucket: the snapshot's two files and the model directory with its curves.
        var keys = await harness.Get<IArtifactStore>().ListAsync("", CancellationToken.None);
        Assert.Contains(SnapshotKeys.Data(result.Snapshot), keys);
        Assert.Contains(SnapshotKeys.Manifest(result.Snapshot), keys);
        var model = SnapshotKeys.Model("toxic-comments", result.RunId);
        foreach (var file in new[] { "model.onnx", "fast.onnx", "metadata.json", "roc.png", "pr.png" })
        {
            Assert.Contains(model + file, keys);
        }

        Assert.Equal(harness.Get<IArtifactStore>().Uri(model), champion.ArtifactUri);
        var (modelBucket, modelKey) = ArtifactAddress.Parse(champion.ArtifactUri);
        Assert.Equal(harness.Bucket, modelBucket);
        Assert.Equal(model, modelKey);
        Assert.StartsWith(provider == StorageProvider.Blob ? "http://127.0.0.1:10000/" : "s3://", champion.ArtifactUri, StringComparison.Ordinal);

        // The validation reports went to the same store (the harness's reports bucket is the artifacts bucket).
        Assert.Contains(keys, k => k.StartsWith("validations/", StringComparison.Ordinal) && k.EndsWith("/report.json", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.StartsWith("validations/", StringComparison.Ordinal) && k.EndsWith("/index.html", StringComparison.Ordinal));
        if (provider == StorageProvider.Blob)
        {
            // Seen in Azurite by a client of its own, not only through the store under test.
            var container = new BlobServiceClient(TestSettings.Configuration[ToxicServiceCollectionExtensions.RawStorageSetting]).GetBlobContainerClient(harness.Bucket);
            foreach (var key in new[] { model + "model.onnx", model + "metadata.json", SnapshotKeys.Data(result.Snapshot), SnapshotKeys.Manifest(result.Snapshot) })
            {
                Assert.True((await container.GetBlobClient(key).ExistsAsync()).Value, $"{key} is not in Azurite");
            }
        }

        // The champion scores from its stored directory: a plainly toxic comment above a friendly one.
        var scores = await harness.Get<ChampionScorer>().ScoreAsync(
            ["You are a stupid idiot and I hate you, shut up", "Thank you for the helpful edit to the article"], CancellationToken.None);
        Assert.NotNull(scores);
        Assert.Equal(1, scores.Version);
        Assert.True(scores.Probabilities[0] > scores.Probabilities[1], $"toxic {scores.Probabilities[0]} <= friendly {scores.Probabilities[1]}");

        // The champion served is the cascade: the fast model and the encoder model with the band chosen on the training split.
        using var served = await StoredModel.LoadScorerAsync(
            harness.Get<IArtifactStore>(), model, ToxicFunctions.Tokenization.WordPieceTokenizer.DistilBertBaseUncased, CancellationToken.None);
        var cascade = Assert.IsType<CascadeScorer>(served.Cascade);
        Assert.True(cascade.Band.EncoderAuc - cascade.Band.CascadeAuc <= cascade.Band.AucBudget);
    }
}
