using Microsoft.Azure.Functions.Worker;
using ToxicFunctions.Pipeline;

namespace ToxicFunctions.Orchestrations.Activities;

/// <summary>Durable activity <c>FailRun</c>: marks a trained run failed when a later stage (Evaluate, Register) failed.</summary>
public sealed class FailRun(ExperimentTracker tracker)
{
    /// <summary>Records the failure on the run.</summary>
    [Function(PipelineActivities.FailRun)]
    public async Task<bool> RunAsync([ActivityTrigger] FailRunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await tracker.FinishAsync(request.RunId, request.Error, cancellationToken);
        return true;
    }
}
