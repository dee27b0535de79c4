using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace ToxicFunctions.Tests.Infrastructure;

/// <summary>
/// Runs a program the tests need (node, dotnet, git) to its end, every wait bounded: feeding stdin, the exit and both
/// outputs, so that a child that stalls, or a grandchild that keeps an output open, fails its test instead of hanging
/// the run. Text is UTF-8 both ways (no byte-order mark).
/// </summary>
internal static class ChildProcess
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Runs <paramref name="program"/>; returns its exit code and both outputs.</summary>
    /// <param name="program">The program, found on PATH.</param>
    /// <param name="arguments">Its arguments, passed as they are.</param>
    /// <param name="workingDirectory">The folder it runs in.</param>
    /// <param name="timeout">How long the whole run may take.</param>
    /// <param name="missingHint">Said when the program cannot be started: how to install it.</param>
    /// <param name="input">Written to its stdin, which is then closed; stdin is empty when null.</param>
    /// <param name="environment">Variables set for it beside the inherited ones (a null value removes one).</param>
    /// <exception cref="InvalidOperationException">The program cannot be started; the message carries <paramref name="missingHint"/>.</exception>
    /// <exception cref="TimeoutException">It did not end, or its outputs did not close, within <paramref name="timeout"/>; it is killed with its children.</exception>
    public static (int ExitCode, string Output, string Error) Run(
        string program,
        IReadOnlyList<string> arguments,
        string workingDirectory,
        TimeSpan timeout,
        string missingHint,
        string? input = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = s_utf8,
            StandardOutputEncoding = s_utf8,
            StandardErrorEncoding = s_utf8,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
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
            var deadline = Stopwatch.StartNew();
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();

            // Written beside the reads: a child that writes before it has read all its input must not block on us.
            var writing = Task.Run(async () =>
            {
                await using var stdin = process.StandardInput;
                await stdin.WriteAsync(input ?? "");
            });
            var left = timeout - deadline.Elapsed;
            if (!process.WaitForExit(left > TimeSpan.Zero ? left : TimeSpan.Zero))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {timeout}");
            }

            left = timeout - deadline.Elapsed;
            if (!Task.WaitAll(new Task[] { output, error }, left > TimeSpan.FromSeconds(10) ? left : TimeSpan.FromSeconds(10)))
            {
                throw new TimeoutException($"{program} {string.Join(' ', arguments)} ended, but a process it started keeps its output open");
            }

            // A child that exits without reading its input makes the write fail; its exit code says what happened.
            try
            {
                writing.Wait(TimeSpan.FromSeconds(10));
            }
            catch (AggregateException)
            {
            }

            return (process.ExitCode, output.Result, error.Result);
        }
    }
}
