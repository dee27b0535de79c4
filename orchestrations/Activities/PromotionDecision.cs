namespace ToxicFunctions.Orchestrations.Activities;

/// <summary>The output of <see cref="Promote"/>: whether the version became champion, the alias it got, and why.</summary>
public sealed record PromotionDecision(bool Promoted, string Alias, string Reason);
