namespace ToxicFunctions.LocalHost;

/// <summary>The command-line arguments this host was started with, which the encoder worker is started with too.</summary>
internal sealed record LocalHostArguments(IReadOnlyList<string> Values);
