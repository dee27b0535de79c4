using Microsoft.DurableTask;
using ToxicFunctions.Quality;
using ToxicFunctions.Transform;

namespace ToxicFunctions.Orchestrations;

/// <summary>
/// The retry policy of the pipeline's activities (each touches PostgreSQL or the object store): 3 attempts, 1 s then
/// 2 s apart. Gate failures (<see cref="DataQualityGateException"/>, <see cref="TransformGateException"/>) and bad input
/// (<see cref="ArgumentException"/>, <see cref="InvalidDataException"/>) are decisions, not accidents: never retried.
/// </summary>
public static class PipelineRetry
{
    /// <summary>Attempts per activity.</summary>
    public const int MaxAttempts = 3;

    /// <summary>The task options of every activity call.</summary>
    public static TaskOptions Options { get; } = TaskOptions.FromRetryPolicy(
        new RetryPolicy(MaxAttempts, TimeSpan.FromSeconds(1), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromSeconds(30))
        {
            HandleFailure = IsTransient,
        });

    /// <summary>Whether a failed attempt may succeed when repeated.</summary>
    public static bool IsTransient(TaskFailureDetails failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return !failure.IsCausedBy<DataQualityGateException>()
            && !failure.IsCausedBy<TransformGateException>()
            && !failure.IsCausedBy<ArgumentException>()
            && !failure.IsCausedBy<InvalidDataException>();
    }
}
