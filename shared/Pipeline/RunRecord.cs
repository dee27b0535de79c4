using System.Text.Json;

namespace ToxicFunctions.Pipeline;

/// <summary>
/// A tracked training run (a row of ml.runs). <see cref="FeedbackRows"/> is how many rows of its snapshot carried a
/// label sent to <c>POST /api/feedback</c> (null for runs recorded before feedback existed).
/// </summary>
public sealed record RunRecord(
    Guid RunId,
    string Experiment,
    string? PipelineInstanceId,
    string Status,
    JsonElement Params,
    JsonElement Metrics,
    JsonElement Tags,
    string SnapshotSha256,
    string CodeVersion,
    string? ArtifactUri,
    string? Error,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    double? DurationSeconds,
    int? FeedbackRows = null);
