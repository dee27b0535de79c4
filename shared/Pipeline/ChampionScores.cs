namespace ToxicFunctions.Pipeline;

/// <summary>Probabilities from the champion, in the order of the comments given, and which model gave them.</summary>
/// <param name="ModelName">The registered model.</param>
/// <param name="Version">The champion's version.</param>
/// <param name="Threshold">Probabilities at or above it are labelled toxic.</param>
/// <param name="Probabilities">One per comment.</param>
public sealed record ChampionScores(string ModelName, int Version, double Threshold, float[] Probabilities);
