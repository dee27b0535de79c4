namespace ToxicFunctions.Pipeline;

/// <summary>
/// When a new version becomes champion: when there is none yet, or when its AUC on the snapshot's test split is strictly
/// higher than the champion's AUC on that same split. A tie keeps the champion (a model in service is not replaced
/// without evidence that the new one is better); the new version becomes challenger. A champion that cannot be scored
/// (its model files are gone) cannot serve either, so the new version replaces it.
/// </summary>
public static class PromotionPolicy
{
    /// <summary>Whether the candidate replaces the champion, and why.</summary>
    public static (bool Promote, string Reason) Decide(double candidateAuc, double? championAuc, string? championProblem = null) =>
        championAuc switch
        {
            null when championProblem is not null => (true, $"{championProblem}; replaced"),
            null => (true, "no champion yet"),
            var champion when candidateAuc > champion => (true, $"test AUC {candidateAuc:F4} beats the champion's {champion:F4} on the same split"),
            var champion => (false, $"test AUC {candidateAuc:F4} does not beat the champion's {champion:F4} on the same split"),
        };
}
