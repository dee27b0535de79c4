namespace ToxicFunctions.Pipeline;

/// <summary>The snapshot's seeded stratified test split (each row of the data file carries its part).</summary>
/// <param name="Method">How the split was drawn.</param>
/// <param name="Seed">Seed of the split.</param>
/// <param name="TestFraction">Share of each class in the test part.</param>
/// <param name="TrainRows">Rows in the training part.</param>
/// <param name="TestRows">Rows in the test part.</param>
/// <param name="TestPositives">Toxic rows in the test part.</param>
public sealed record SnapshotSplit(string Method, int Seed, double TestFraction, int TrainRows, int TestRows, int TestPositives);
