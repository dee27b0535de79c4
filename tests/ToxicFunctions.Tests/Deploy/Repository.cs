using System.ComponentModel;
using System.Diagnostics;

namespace ToxicFunctions.Tests.Deploy;

/// <summary>The checkout the tests run from, and the commands the deployment tests run in it.</summary>
internal static class Repository
{
    private static readonly Lazy<string> s_root = new(Locate);

    /// <summary>The repository root (the folder holding ToxicFunctions.sln).</summary>
    public static string Root => s_root.Value;

    /// <summary>A path under the root, from '/'-separated parts.</summary>
    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Runs a program to its end; returns its exit code and both outputs. Throws when it cannot start.</summary>
    public static (int ExitCode, string Output, string Error) Run(
        string program, IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout, string missingHint)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"{program} could not be started ({e.Message}): {missingHint}", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {timeout}");
            }

            process.WaitForExit();
            return (process.ExitCode, output.Result, error.Result);
        }
    }

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ToxicFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"ToxicFunctions.sln not found above {AppContext.BaseDirectory}");
    }
}
