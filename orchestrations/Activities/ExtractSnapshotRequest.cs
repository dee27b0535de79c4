namespace ToxicFunctions.Orchestrations.Activities;

/// <summary>The input of <see cref="ExtractSnapshot"/>: the test split (null: the settings' defaults).</summary>
public sealed record ExtractSnapshotRequest(int? SplitSeed = null, double? TestFraction = null);
