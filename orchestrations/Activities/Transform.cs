using Microsoft.Azure.Functions.Worker;
using ToxicFunctions.Transform;

namespace ToxicFunctions.Orchestrations.Activities;

/// <summary>
/// Durable activity <c>Transform</c>: runs the production transform (<see cref="TransformService"/>). A contract
/// violation or a failing production test throws <see cref="TransformGateException"/>: the orchestration's call fails
/// with that reason (TaskFailedException) and production is left as it was.
/// </summary>
public sealed class Transform(TransformService transform)
{
    /// <summary>Runs the transform and returns what each model did.</summary>
    [Function(PipelineActivities.Transform)]
    public Task<TransformResult> RunAsync([ActivityTrigger] TransformRequest request, CancellationToken cancellationToken) =>
        transform.RunAsync(cancellationToken);
}
