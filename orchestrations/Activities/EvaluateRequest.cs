namespace ToxicFunctions.Orchestrations.Activities;

/// <summary>The input of <see cref="Evaluate"/>: the run, its model directory (key prefix) and the snapshot.</summary>
public sealed record EvaluateRequest(Guid RunId, string ArtifactPrefix, string Snapshot);
