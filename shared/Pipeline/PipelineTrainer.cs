using Microsoft.Extensions.Options;
using ToxicFunctions.Telemetry;
using ToxicFunctions.Training;

namespace ToxicFunctions.Pipeline;

/// <summary>
/// Trains a model on a stored snapshot and tracks it as a run: the snapshot's rows (with their staged token ids and the
/// encoder features kept per comment, see <see cref="CommentEncodingStore"/>) go to
/// <see cref="ModelTrainingService"/>, which holds out the same seeded stratified split the snapshot records as its test
/// part; the model directory (a cascade: model.onnx, fast.onnx, metadata.json, roc.png, pr.png, see
/// <see cref="CascadeBand"/>) is uploaded to <c>models/NAME/runs/RUN/</c>, the metadata after the graphs it names. A
/// failure marks the run failed.
/// </summary>
public sealed class PipelineTrainer(
    SnapshotExtractor snapshots,
    CommentEncodingStore encodings,
    ModelTrainingService training,
    ExperimentTracker tracker,
    IArtifactStore store,
    ToxicMetrics metrics,
    IOptions<PipelineOptions> options)
{
    /// <summary>Trains run <paramref name="runId"/> on snapshot <paramref name="snapshotSha256"/>.</summary>
    public async Task<TrainedModel> TrainAsync(
        Guid runId, string? pipelineInstanceId, string snapshotSha256, TrainerOptions? trainer, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var manifest = await snapshots.ReadManifestAsync(snapshotSha256, cancellationToken);
        var request = new TrainingRequest
        {
            Seed = manifest.Split.Seed,
            HoldoutFraction = manifest.Split.TestFraction,
            Trainer = trainer ?? new TrainerOptions(),

            // The served model is the cascade: the fast model settles the confident majority, the encoder model the rest.
            Cascade = new CascadeOptions(),
        };
        var settings = options.Value;
        await tracker.StartRunAsync(
            new RunStart(
                runId,
                settings.Experiment,
                pipelineInstanceId,
                snapshotSha256,
                new SortedDictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["seed"] = request.Seed,
                    ["testFraction"] = request.HoldoutFraction,
                    ["trainer"] = request.Trainer,
                    ["features"] = request.Features,
                    ["threshold"] = ModelMetadata.DefaultThreshold,
                    ["cascade"] = request.Cascade,
                },
                new SortedDictionary<string, string>(StringComparer.Ordinal)
                {
                    ["model"] = settings.ModelName,
                    ["snapshot"] = snapshotSha256,
                    ["trigger"] = pipelineInstanceId is null ? "direct" : "orchestration",
                },
                manifest.FeedbackRows),
            cancellationToken);

        var directory = Path.Combine(Path.GetTempPath(), $"toxic-model-{runId:N}");
        try
        {
            var rows = await snapshots.ReadRowsAsync(snapshotSha256, cancellationToken);
            var kept = request.Features.UsesEncoder
                ? (await encodings.GetOrComputeAsync(request.Features, rows.Select(r => (r.Text, r.InputIds)).ToArray(), cancellationToken)).Features
                : null;
            var examples = rows.Select((r, i) => new TrainingExample(r.Text, r.Label, r.InputIds, kept?[i])).ToArray();
            var (_, holdout) = StratifiedSplit.Holdout(examples.Select(e => e.Label).ToArray(), request.HoldoutFraction, request.Seed, examples.Select(e => e.Text).ToArray());
            if (!holdout.SequenceEqual(Enumerable.Range(0, rows.Count).Where(i => rows[i].Split == SnapshotRow.Test)))
            {
                throw new InvalidDataException($"Snapshot {snapshotSha256}: its test rows are not the split its manifest names.");
            }

            var metadata = await training.TrainAsync(examples, request, directory, cancellationToken);
            var prefix = SnapshotKeys.Model(settings.ModelName, runId);
            foreach (var file in ModelArtifact.ScoringFiles(metadata).Reverse().Concat([ModelArtifact.RocFile, ModelArtifact.PrecisionRecallFile]))
            {
                var contentType = Path.GetExtension(file) switch { ".png" => "image/png", ".json" => "application/json", _ => "application/octet-stream" };
                await store.PutFileAsync(prefix + file, Path.Combine(directory, file), contentType, cancellationToken);
            }

            await tracker.SetArtifactAsync(runId, store.Uri(prefix), cancellationToken);
            foreach (var (split, metrics) in metadata.Metrics)
            {
                await tracker.LogMetricsAsync(runId, split, metrics, cancellationToken);
            }

            var tested = metadata.Metrics["holdout"];
            metrics.RecordTraining(settings.ModelName, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds, tested.Auc, tested.F1);
            return new TrainedModel(runId, store.Uri(prefix), prefix, tested);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // A timeout inside a client (an OperationCanceledException not caused by this token) fails the run too; a
            // cancelled activity is left to its retry.
            await tracker.FinishAsync(runId, e.Message, CancellationToken.None);
            throw;
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
