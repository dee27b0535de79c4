using ToxicFunctions.Training;

namespace ToxicFunctions.Orchestrations.Activities;

/// <summary>The input of <see cref="Register"/>: the run, its snapshot, its model directory and its test metrics.</summary>
public sealed record RegisterRequest(Guid RunId, string Snapshot, string ArtifactUri, ClassificationMetrics Test);
