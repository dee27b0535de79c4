namespace ToxicFunctions.Orchestrations.Activities;

/// <summary>The input of <see cref="FailRun"/>: the run and why the pipeline failed after training it.</summary>
public sealed record FailRunRequest(Guid RunId, string Error);
