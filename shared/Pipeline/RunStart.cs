namespace ToxicFunctions.Pipeline;

/// <summary>What a run starts with: its id, experiment, the orchestration that runs it, its snapshot, parameters and tags.</summary>
public sealed record RunStart(
    Guid RunId,
    string Experiment,
    string? PipelineInstanceId,
    string SnapshotSha256,
    IReadOnlyDictionary<string, object?> Params,
    IReadOnlyDictionary<string, string> Tags);
