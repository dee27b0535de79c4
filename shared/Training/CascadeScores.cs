namespace ToxicFunctions.Training;

/// <summary>What a cascade made of some comments.</summary>
/// <param name="Probabilities">The cascade's probability of each comment.</param>
/// <param name="Fast">The fast model's probability of each comment.</param>
/// <param name="Routed">Whether each comment went to the encoder model (its probability is then the encoder model's).</param>
public sealed record CascadeScores(float[] Probabilities, float[] Fast, bool[] Routed);
