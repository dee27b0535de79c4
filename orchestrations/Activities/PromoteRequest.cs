namespace ToxicFunctions.Orchestrations.Activities;

/// <summary>The input of <see cref="Promote"/>: the new version, its test AUC, and the champion's AUC on the same split (null: no champion).</summary>
public sealed record PromoteRequest(string ModelName, int Version, double TestAuc, double? ChampionAuc);
