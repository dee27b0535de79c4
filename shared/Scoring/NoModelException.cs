namespace ToxicFunctions.Scoring;

/// <summary>No model is there to score with yet (no champion is registered).</summary>
/// <param name="message">What to do about it.</param>
public sealed class NoModelException(string message) : Exception(message);
