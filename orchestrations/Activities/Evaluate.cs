using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ToxicFunctions.Pipeline;

namespace ToxicFunctions.Orchestrations.Activities;

/// <summary>
/// Durable activity <c>Evaluate</c>: scores the stored new model and the current champion on the snapshot's test split
/// (<see cref="ModelEvaluator"/>) and records the new model's test metrics on its run. A champion whose model directory
/// is missing from the store, or unreadable by this code, is reported, not scored.
/// </summary>
public sealed class Evaluate(
    ModelEvaluator evaluator, ModelRegistry registry, ExperimentTracker tracker, IOptions<PipelineOptions> options, ILogger<Evaluate> logger)
{
    /// <summary>Measures both models on the same rows.</summary>
    [Function(PipelineActivities.Evaluate)]
    public async Task<Evaluation> RunAsync([ActivityTrigger] EvaluateRequest request, CancellationToken cancellationToken)
    {
        var test = await evaluator.EvaluateAsync(request.ArtifactPrefix, request.Snapshot, cancellationToken);
        await tracker.LogMetricsAsync(request.RunId, "test", test, cancellationToken);
        var champion = await registry.GetAliasAsync(options.Value.ModelName, ModelAliases.Champion, cancellationToken);
        if (champion is null)
        {
            return new Evaluation(test, null, null);
        }

        try
        {
            var championTest = await evaluator.EvaluateAsync(ModelEvaluator.PrefixOf(champion.ArtifactUri), request.Snapshot, cancellationToken);
            return new Evaluation(test, champion.Version, championTest);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
        {
            // A champion whose files are gone, or that this code can no longer read, cannot serve either: say so, and let
            // the new version replace it.
            logger.LogWarning("Champion version {Version} cannot be scored: {Problem}", champion.Version, e.Message);
            return new Evaluation(test, champion.Version, null, $"champion version {champion.Version} cannot be scored: {e.Message.TrimEnd('.')}");
        }
    }
}
