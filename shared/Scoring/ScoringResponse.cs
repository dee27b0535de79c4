namespace ToxicFunctions.Scoring;

/// <summary>The answer to a scoring request: every comment scored by the same model version, in the order given.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="Version">Its registered version; null when served from a directory.</param>
/// <param name="Threshold">Probabilities at or above it are labelled toxic.</param>
/// <param name="Results">One per comment, in order.</param>
public sealed record ScoringResponse(string Model, int? Version, double Threshold, IReadOnlyList<ScoringResult> Results);
