using System.Text.Json;

namespace ToxicFunctions.Pipeline;

/// <summary>A registered model version (a row of ml.model_versions) and the aliases that point at it.</summary>
public sealed record ModelVersionRecord(
    string ModelName,
    int Version,
    Guid RunId,
    string SnapshotSha256,
    string ArtifactUri,
    JsonElement Metrics,
    DateTimeOffset CreatedAt,
    IReadOnlyList<string> Aliases)
{
    /// <summary>The test-split AUC the version was registered with.</summary>
    public double TestAuc => Metrics.TryGetProperty("auc", out var auc) ? auc.GetDouble() : double.NaN;
}
