namespace ToxicFunctions.Orchestrations.Activities;

/// <summary>The input of the <see cref="Validate"/> activity: the embedded suite to run (default <c>staging</c>).</summary>
public sealed record ValidateRequest(string Suite = "staging");
