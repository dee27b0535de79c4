using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ToxicFunctions.Orchestrations.Activities;
using ToxicFunctions.Pipeline;
using ToxicFunctions.Quality;
using ToxicFunctions.Transform;

namespace ToxicFunctions.Orchestrations;

/// <summary>
/// Registers the same function-based orchestrator and activities on a Durable Task worker outside the Functions host
/// (the local host's and the tests' in-process backend): each activity call creates its function class from the
/// worker's services, as the Functions host does.
/// </summary>
public static class PipelineTaskRegistration
{
    /// <summary>Adds <see cref="TrainingPipeline"/> and its activities.</summary>
    public static DurableTaskRegistry AddTrainingPipeline(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddOrchestratorFunc<PipelineRequest, PipelineResult>(nameof(TrainingPipeline), (context, _) => new TrainingPipeline().RunAsync(context));
        Add<Activities.Transform, TransformRequest, TransformResult>(registry, nameof(Activities.Transform), (f, i, c) => f.RunAsync(i, c));
        Add<Validate, ValidateRequest, ValidationReport>(registry, nameof(Validate), (f, i, c) => f.RunAsync(i, c));
        Add<ExtractSnapshot, ExtractSnapshotRequest, SnapshotInfo>(registry, nameof(ExtractSnapshot), (f, i, c) => f.RunAsync(i, c));
        Add<Train, TrainRequest, TrainedModel>(registry, nameof(Train), (f, i, c) => f.RunAsync(i, c));
        Add<Evaluate, EvaluateRequest, Evaluation>(registry, nameof(Evaluate), (f, i, c) => f.RunAsync(i, c));
        Add<Register, RegisterRequest, RegisteredVersion>(registry, nameof(Register), (f, i, c) => f.RunAsync(i, c));
        Add<Promote, PromoteRequest, PromotionDecision>(registry, nameof(Promote), (f, i, c) => f.RunAsync(i, c));
        Add<FailRun, FailRunRequest, bool>(registry, nameof(FailRun), (f, i, c) => f.RunAsync(i, c));
        return registry;
    }

    // Activities run until done or until the host stops (the standalone SDK gives activities no token of their own).
    private static void Add<TFunction, TInput, TOutput>(
        DurableTaskRegistry registry, string name, Func<TFunction, TInput, CancellationToken, Task<TOutput>> run)
        where TFunction : class =>
        registry.AddActivity(name, services => FuncTaskActivity.Create<TInput, TOutput>(
            (_, input) => run(
                ActivatorUtilities.CreateInstance<TFunction>(services),
                input,
                services.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None)));
}
