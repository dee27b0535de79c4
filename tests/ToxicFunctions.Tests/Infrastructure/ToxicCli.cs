namespace ToxicFunctions.Tests.Infrastructure;

/// <summary>
/// The built <c>toxic</c> tool in its own output folder (tools/Toxic.Cli/bin/CONFIGURATION/net10.0), so that it runs
/// with its own dependencies, as a user runs it. The configuration is the one these tests were built with.
/// </summary>
internal static class ToxicCli
{
    public static string DllPath { get; } = Locate();

    private static string Locate()
    {
        // AppContext.BaseDirectory is REPO/tests/ToxicFunctions.Tests/bin/CONFIGURATION/net10.0/
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent!;
        var repo = configuration.Parent!.Parent!.Parent!.Parent!;
        var path = Path.Combine(repo.FullName, "tools", "Toxic.Cli", "bin", configuration.Name, framework.Name, "toxic.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build tools/Toxic.Cli ({configuration.Name}) first: {path} is missing.");
    }
}
