namespace ToxicFunctions.Pipeline;

/// <summary>Object keys of snapshots and model directories.</summary>
public static class SnapshotKeys
{
    /// <summary>The data file of snapshot <paramref name="sha256"/>.</summary>
    public static string Data(string sha256) => $"snapshots/{sha256}/comments.jsonl";

    /// <summary>The manifest of snapshot <paramref name="sha256"/>.</summary>
    public static string Manifest(string sha256) => $"snapshots/{sha256}/manifest.json";

    /// <summary>The model directory of a run.</summary>
    public static string Model(string modelName, Guid runId) => $"models/{modelName}/runs/{runId:N}/";
}
