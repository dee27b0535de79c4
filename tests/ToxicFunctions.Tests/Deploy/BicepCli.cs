using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Deploy;

/// <summary>
/// The Bicep CLI of the NuGet package Azure.Bicep.CommandLine.linux-x64, which the test project downloads at restore
/// (PackageDownload): found in the NuGet packages folder (NUGET_PACKAGES, else ~/.nuget/packages), made executable if
/// the package extraction did not. It needs no network here: infra-bicep uses no registry modules, its bicepconfig.json
/// switches off the one rule that asks registries (use-recent-module-versions), and the resource types are built in.
/// </summary>
internal static class BicepCli
{
    /// <summary>The package, and the version the test project downloads.</summary>
    public const string Package = "azure.bicep.commandline.linux-x64";

    /// <summary>The version in ToxicFunctions.Tests.csproj's PackageDownload.</summary>
    public const string Version = "0.49.2";

    private static readonly Lazy<string> s_path = new(Locate);

    /// <summary>Runs <c>bicep ARGUMENTS</c> in infra-bicep/, bounded; returns the exit code and both outputs.</summary>
    public static (int ExitCode, string Output, string Error) Run(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?>? environment = null) =>
        ChildProcess.Run(
            s_path.Value,
            arguments,
            Repository.PathOf("infra-bicep"),
            TimeSpan.FromMinutes(2),
            $"restore tests/ToxicFunctions.Tests (it downloads {Package} {Version})",
            environment: environment);

    private static string Locate()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.OSArchitecture != System.Runtime.InteropServices.Architecture.X64)
        {
            throw new PlatformNotSupportedException($"{Package} is the Linux x64 Bicep CLI; the Bicep tests run on Linux x64.");
        }

        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var path = Path.Combine(packages, Package, Version, "tools", "bicep");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing: restore tests/ToxicFunctions.Tests, which downloads {Package} {Version}.");
        }

        // NuGet keeps the package's file modes on Linux only since recent versions; a restore without them leaves it unrunnable.
        var mode = File.GetUnixFileMode(path);
        const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if ((mode & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(path, mode | execute);
        }

        return path;
    }
}
