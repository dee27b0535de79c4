using ToxicFunctions.Training;

namespace ToxicFunctions.Orchestrations;

/// <summary>The output of <see cref="TrainingPipeline"/>.</summary>
/// <param name="Snapshot">SHA-256 of the snapshot the model was trained on.</param>
/// <param name="RunId">The tracked run.</param>
/// <param name="ModelName">The registered model.</param>
/// <param name="Version">Its new version.</param>
/// <param name="Promoted">Whether the version became champion.</param>
/// <param name="Alias">The alias it got (champion or challenger).</param>
/// <param name="Reason">Why.</param>
/// <param name="Test">Its metrics on the snapshot's test split.</param>
/// <param name="ArtifactUri">Its model directory.</param>
public sealed record PipelineResult(
    string Snapshot, Guid RunId, string ModelName, int Version, bool Promoted, string Alias, string Reason, ClassificationMetrics Test, string ArtifactUri);
