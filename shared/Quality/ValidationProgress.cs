namespace ToxicFunctions.Quality;

/// <summary>How far a suite's evaluation is: <paramref name="Judged"/> of <paramref name="Expectations"/> expectations have their counts.</summary>
/// <param name="Judged">Expectations whose queries have finished.</param>
/// <param name="Expectations">Expectations of the suite.</param>
public readonly record struct ValidationProgress(int Judged, int Expectations);
