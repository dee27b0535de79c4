namespace ToxicFunctions.Pipeline;

/// <summary>Encoder features for a list of comments, in order, and how many distinct texts were read or computed.</summary>
/// <param name="Features">One feature vector per comment.</param>
/// <param name="Kept">Distinct texts whose features were already kept.</param>
/// <param name="Computed">Distinct texts encoded now (and kept).</param>
public sealed record CommentEncodings(float[][] Features, int Kept, int Computed);
