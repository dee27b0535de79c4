using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using ToxicFunctions.Orchestrations.Activities;
using ToxicFunctions.Pipeline;
using ToxicFunctions.Quality;
using ToxicFunctions.Training;
using ToxicFunctions.Transform;

namespace ToxicFunctions.Orchestrations;

/// <summary>
/// The training pipeline (what the Airflow DAG did): Transform -> Validate (an error-level failure stops it) ->
/// ExtractSnapshot -> Train -> Evaluate -> Register -> Promote. Every activity call retries transient failures
/// (<see cref="PipelineRetry"/>); the custom status (<see cref="PipelineProgress"/>) shows the stage and what the
/// stages so far produced. A failed stage fails the orchestration with <see cref="PipelineStageFailedException"/>,
/// whose message carries the stage's reason.
/// </summary>
public sealed class TrainingPipeline
{
    /// <summary>Runs the pipeline.</summary>
    /// <param name="context">The orchestration's context.</param>
    /// <param name="input">The orchestration's input (the Durable extension binds it by type); null runs with the defaults.</param>
    [Function(nameof(TrainingPipeline))]
    public async Task<PipelineResult> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context, PipelineRequest? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = input ?? new PipelineRequest();
        var progress = new PipelineProgress(PipelineActivities.Transform, []);
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal);

        async Task<T> StageAsync<T>(string stage, object input)
        {
            progress = progress with { Stage = stage, Metrics = new SortedDictionary<string, double>(metrics, StringComparer.Ordinal) };
            context.SetCustomStatus(progress);
            try
            {
                var result = await context.CallActivityAsync<T>(stage, input, PipelineRetry.Options);
                progress = progress with { Completed = [.. progress.Completed, stage] };
                return result;
            }
            catch (TaskFailedException e)
            {
                var reason = e.FailureDetails.ErrorMessage;
                context.SetCustomStatus(progress with { Stage = "Failed", Error = $"{stage}: {reason}" });
                throw new PipelineStageFailedException($"The {stage} stage failed: {reason}", e);
            }
        }

        var transform = await StageAsync<TransformResult>(PipelineActivities.Transform, new TransformRequest(request.RequestedBy));
        progress = progress with { ProductionRows = transform.RowsInProduction };
        await StageAsync<ValidationReport>(PipelineActivities.Validate, new ValidateRequest(request.Suite));
        var snapshot = await StageAsync<SnapshotInfo>(PipelineActivities.ExtractSnapshot, new ExtractSnapshotRequest(request.SplitSeed, request.TestFraction));
        progress = progress with { Snapshot = snapshot.Sha256, SnapshotRows = snapshot.RowCount, FeedbackRows = snapshot.FeedbackRows };

        var runId = context.NewGuid();
        progress = progress with { RunId = runId };
        var trained = await StageAsync<TrainedModel>(PipelineActivities.Train, new TrainRequest(runId, context.InstanceId, snapshot.Sha256, request.Trainer));
        Record(metrics, "holdout", trained.Holdout);
        Evaluation evaluation;
        RegisteredVersion registered;
        try
        {
            evaluation = await StageAsync<Evaluation>(PipelineActivities.Evaluate, new EvaluateRequest(runId, trained.ArtifactPrefix, snapshot.Sha256));
            Record(metrics, "test", evaluation.Test);
            if (evaluation.Champion is not null)
            {
                Record(metrics, "champion", evaluation.Champion);
            }

            registered = await StageAsync<RegisteredVersion>(
                PipelineActivities.Register, new RegisterRequest(runId, snapshot.Sha256, trained.ArtifactUri, evaluation.Test));
        }
        catch (PipelineStageFailedException e)
        {
            // The run trained but will never be registered (Register finishes it): record it as failed, not running.
            await context.CallActivityAsync<bool>(PipelineActivities.FailRun, new FailRunRequest(runId, e.Message), PipelineRetry.Options);
            throw;
        }

        progress = progress with { Version = registered.Version };
        var decision = await StageAsync<PromotionDecision>(
            PipelineActivities.Promote, new PromoteRequest(
                registered.ModelName, registered.Version, evaluation.Test.Auc, evaluation.ChampionVersion, evaluation.Champion?.Auc, evaluation.ChampionProblem));

        context.SetCustomStatus(progress with { Stage = "Completed", Promoted = decision.Promoted, Metrics = metrics });
        return new PipelineResult(
            snapshot.Sha256, runId, registered.ModelName, registered.Version, decision.Promoted, decision.Alias, decision.Reason, evaluation.Test, trained.ArtifactUri);
    }

    private static void Record(SortedDictionary<string, double> metrics, string split, ClassificationMetrics values)
    {
        metrics[$"{split}.auc"] = values.Auc;
        metrics[$"{split}.f1"] = values.F1;
        metrics[$"{split}.precision"] = values.Precision;
        metrics[$"{split}.recall"] = values.Recall;
        metrics[$"{split}.accuracy"] = values.Accuracy;
    }
}
