namespace ToxicFunctions.Orchestrations.Activities;

/// <summary>
/// The input of <see cref="Promote"/>: the new version, its test AUC, the champion <see cref="Evaluate"/> compared it
/// with (null: none), that champion's AUC on the same split (null: no champion, or it could not be scored) and why it
/// could not be scored.
/// </summary>
public sealed record PromoteRequest(
    string ModelName, int Version, double TestAuc, int? ChampionVersion, double? ChampionAuc, string? ChampionProblem = null);
