using System.Diagnostics;

namespace ToxicFunctions.Bench;

/// <summary>Runs a child process to its end while sampling its peak resident memory (VmHWM in /proc).</summary>
internal static class ProcessMemory
{
    public static async Task<(int ExitCode, string Output, long PeakRssBytes, double Seconds)> RunAsync(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        long peak = 0;
        while (!process.HasExited)
        {
            peak = Math.Max(peak, ReadHighWaterMark(process.Id));
            await Task.Delay(50);
        }

        await process.WaitForExitAsync();
        var seconds = stopwatch.Elapsed.TotalSeconds;
        return (process.ExitCode, await output + await errors, peak, seconds);
    }

    private static long ReadHighWaterMark(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
            // The process ended between the check and the read.
        }

        return 0;
    }
}
