namespace ToxicFunctions.Orchestrations.Activities;

/// <summary>The input of the <see cref="Transform"/> activity: who asked (for the logs); the transform itself takes no options.</summary>
public sealed record TransformRequest(string? RequestedBy = null);
