using ToxicFunctions.Training;

namespace ToxicFunctions.Orchestrations.Activities;

/// <summary>The output of <see cref="Evaluate"/>: the new model's and the champion's metrics on the same test split.</summary>
/// <param name="Test">The new model on the snapshot's test split.</param>
/// <param name="ChampionVersion">The champion's version, or null when there is none.</param>
/// <param name="Champion">The champion on the same split, or null.</param>
/// <param name="ChampionProblem">Why the champion could not be scored (its model directory is gone), or null.</param>
public sealed record Evaluation(ClassificationMetrics Test, int? ChampionVersion, ClassificationMetrics? Champion, string? ChampionProblem = null);
