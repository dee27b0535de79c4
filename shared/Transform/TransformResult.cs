using ToxicFunctions.Quality;

namespace ToxicFunctions.Transform;

/// <summary>A committed transform run: each model's rows, the production tests' results, and the rows in production after it.</summary>
public sealed record TransformResult(
    long RunId,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    IReadOnlyList<ModelRun> Models,
    IReadOnlyList<ExpectationResult> Tests,
    long RowsInProduction)
{
    /// <summary>The rows of a model by name (0 when it did not run).</summary>
    public long Rows(string model) => Models.FirstOrDefault(m => m.Name == model)?.Rows ?? 0;
}
