using System.Diagnostics;
using System.Text;
using ToxicFunctions.Csv;

namespace ToxicFunctions.Bench;

/// <summary>Child processes and files the benchmarks share.</summary>
internal static class BenchProcess
{
    /// <summary>The repository root (the benchmark runs from bench/Toxic.Bench/bin/Release/net10.0).</summary>
    public static string Repository { get; } = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));

    /// <summary>The built <c>toxic</c> tool (./bench.sh builds it).</summary>
    public static string Toxic { get; } = Path.Combine(Repository, "tools", "Toxic.Cli", "bin", "Release", "net10.0", "toxic.dll");

    /// <summary>Runs a process to its end; its standard output and wall time.</summary>
    /// <exception cref="InvalidOperationException">It exited with a code other than 0 (the message has its standard error).</exception>
    public static async Task<(string Output, double Seconds)> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var seconds = stopwatch.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await errors}");
        }

        return (await output, seconds);
    }

    /// <summary>Writes <c>comment_text,labels</c> CSV (RFC 4180 quoting).</summary>
    public static async Task WriteCsvAsync(string path, IEnumerable<CommentRecord> records)
    {
        var builder = new StringBuilder("comment_text,labels\n");
        foreach (var record in records)
        {
            builder.Append('"').Append(record.Text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append("\",").Append(record.Label).Append('\n');
        }

        await File.WriteAllTextAsync(path, builder.ToString(), new UTF8Encoding(false));
    }
}
