using ToxicFunctions.Training;

namespace ToxicFunctions.Pipeline;

/// <summary>A trained, stored model: its run, where its directory is, and its metrics on the snapshot's test split.</summary>
/// <param name="RunId">The tracked run.</param>
/// <param name="ArtifactUri">The model directory's address (s3://bucket/models/NAME/runs/RUN/ or its blob URL; <see cref="Storage.ArtifactAddress"/>).</param>
/// <param name="ArtifactPrefix">The directory's key prefix in the artifacts bucket.</param>
/// <param name="Holdout">Metrics on the test split, measured by the trainer.</param>
public sealed record TrainedModel(Guid RunId, string ArtifactUri, string ArtifactPrefix, ClassificationMetrics Holdout);
