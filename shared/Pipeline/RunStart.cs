namespace ToxicFunctions.Pipeline;

/// <summary>What a run starts with: its id, experiment, the orchestration that runs it, its snapshot, parameters and tags.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Experiment">The experiment's name.</param>
/// <param name="PipelineInstanceId">The orchestration that runs it; null when trained directly.</param>
/// <param name="SnapshotSha256">The snapshot it trains on.</param>
/// <param name="Params">Its parameters.</param>
/// <param name="Tags">Its tags.</param>
/// <param name="FeedbackRows">
/// Rows of the snapshot whose label came from <c>POST /api/feedback</c> (ml.runs.feedback_rows); null when unknown.
/// </param>
public sealed record RunStart(
    Guid RunId,
    string Experiment,
    string? PipelineInstanceId,
    string SnapshotSha256,
    IReadOnlyDictionary<string, object?> Params,
    IReadOnlyDictionary<string, string> Tags,
    int? FeedbackRows = null);
