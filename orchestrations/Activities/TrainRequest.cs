using ToxicFunctions.Training;

namespace ToxicFunctions.Orchestrations.Activities;

/// <summary>The input of <see cref="Train"/>: the run to record, the orchestration, the snapshot and optional hyper-parameters.</summary>
public sealed record TrainRequest(Guid RunId, string? PipelineInstanceId, string Snapshot, TrainerOptions? Trainer = null);
