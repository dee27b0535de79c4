using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ToxicFunctions.Tests.Infrastructure;

/// <summary>
/// The built <c>toxic</c> tool in its own output folder (tools/Toxic.Cli/bin/CONFIGURATION/net10.0), so that it runs
/// with its own dependencies, as a user runs it. The configuration is the one these tests were built with.
/// </summary>
internal static class ToxicCli
{
    /// <summary>How long one run may take before it is taken as hung, killed and reported with what it printed.</summary>
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(5);

    public static string DllPath { get; } = Locate();

    /// <summary>Runs <c>toxic</c> with <paramref name="arguments"/>, feeding <paramref name="input"/> to stdin.</summary>
    /// <exception cref="TimeoutException">The run took longer than five minutes; it is killed.</exception>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(
        IEnumerable<string> arguments, string? input = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(DllPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return await RunAsync(start, arguments, input, environment);
    }

    /// <summary>
    /// Runs <c>toxic</c> with its stdout and stderr on a pseudo-terminal, as in a person's shell: util-linux
    /// <c>script</c> (Debian's essential bsdutils) gives it one and copies what it writes, both streams, to Output.
    /// </summary>
    /// <exception cref="TimeoutException">The run took longer than five minutes; it is killed.</exception>
    public static Task<(int ExitCode, string Output, string Errors)> RunInTerminalAsync(
        IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("script") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        var command = string.Join(' ', new[] { "dotnet", DllPath }.Concat(arguments).Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        foreach (var argument in new[] { "--quiet", "--return", "--command", command, "/dev/null" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["TERM"] = "xterm";
        return RunAsync(start, arguments, null, environment);
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(
        ProcessStartInfo start, IEnumerable<string> arguments, string? input, IReadOnlyDictionary<string, string>? environment)
    {
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(s_timeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), timeout.Token);
            }

            process.StandardInput.Close();
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await output, await errors);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"toxic {string.Join(' ', arguments)} did not finish within {s_timeout}");
        }
    }

    /// <summary>A loopback port free at the time of asking.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

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
