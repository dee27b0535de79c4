namespace ToxicFunctions.Orchestrations.Activities;

/// <summary>The output of <see cref="Register"/>.</summary>
public sealed record RegisteredVersion(string ModelName, int Version);
