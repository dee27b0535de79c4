namespace ToxicFunctions.Transform;

/// <summary>What one model (or post-step) did in a run: rows it wrote or selected, and how long it took.</summary>
public sealed record ModelRun(string Name, long Rows, double Milliseconds);
