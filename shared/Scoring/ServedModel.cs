using ToxicFunctions.Training;

namespace ToxicFunctions.Scoring;

/// <summary>A model being served.</summary>
/// <param name="Name">The model's name: the registered model's, or the directory's for <c>toxic serve</c>.</param>
/// <param name="Version">The registered version; null for a model served from a directory.</param>
/// <param name="Scorer">The loaded model.</param>
public sealed record ServedModel(string Name, int? Version, ToxicScorer Scorer);
