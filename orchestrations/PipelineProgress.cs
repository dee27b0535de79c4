namespace ToxicFunctions.Orchestrations;

/// <summary>The pipeline's custom status: the current stage and what the stages so far produced.</summary>
/// <param name="Stage">Transform, Validate, ExtractSnapshot, Train, Evaluate, Register, Promote, Completed or Failed.</param>
/// <param name="Completed">Stages done, in order.</param>
/// <param name="ProductionRows">Rows in production.comments after the transform.</param>
/// <param name="Snapshot">SHA-256 of the snapshot.</param>
/// <param name="SnapshotRows">Rows of the snapshot.</param>
/// <param name="RunId">The tracked run.</param>
/// <param name="Metrics">Metrics so far ("holdout.auc", "test.auc", "champion.auc", ...).</param>
/// <param name="Version">The registered version.</param>
/// <param name="Promoted">Whether it became champion.</param>
/// <param name="Error">Why the pipeline failed.</param>
/// <param name="FeedbackRows">Rows of the snapshot whose label came from <c>POST /api/feedback</c>.</param>
public sealed record PipelineProgress(
    string Stage,
    IReadOnlyList<string> Completed,
    long? ProductionRows = null,
    string? Snapshot = null,
    int? SnapshotRows = null,
    Guid? RunId = null,
    IReadOnlyDictionary<string, double>? Metrics = null,
    int? Version = null,
    bool? Promoted = null,
    string? Error = null,
    int? FeedbackRows = null);
