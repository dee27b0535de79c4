namespace ToxicFunctions.Quality;

/// <summary>A checked suite with the SHA-256 of its file (recorded with every run) and where it was read from.</summary>
public sealed record LoadedSuite(ExpectationSuite Suite, string Sha256, string Origin);
