using System.Globalization;

namespace ToxicFunctions.Bench;

/// <summary>
/// CPU time spent by the whole machine (every process: ours, PostgreSQL, radosgw and Ceph), from the first line of
/// Linux's /proc/stat: user + nice + system + irq + softirq + steal, in seconds (USER_HZ = 100). Shows work that other
/// processes do for us, which the process's own CPU time leaves out. 0 where /proc/stat does not exist.
/// </summary>
internal static class MachineCpu
{
    /// <summary>Busy CPU seconds since boot, summed over all cores.</summary>
    public static double BusySeconds()
    {
        if (!File.Exists("/proc/stat"))
        {
            return 0;
        }

        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long Field(int i) => fields.Length > i ? long.Parse(fields[i], CultureInfo.InvariantCulture) : 0;
        return (Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8)) / 100.0;
    }

    /// <summary>
    /// CPU seconds (user + system) each process has spent so far, by pid, with its command name, from /proc/PID/stat;
    /// <see cref="Difference"/> of two snapshots shows where a difference in <see cref="BusySeconds"/> went (this
    /// process, postgres, radosgw, ceph-osd). Empty without /proc.
    /// </summary>
    public static Dictionary<int, (string Command, double Seconds)> ByProcess()
    {
        var result = new Dictionary<int, (string, double)>();
        if (!Directory.Exists("/proc"))
        {
            return result;
        }

        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // the process ended
            }

            // pid (comm) state ...: comm may hold spaces and parentheses, so split after its last ')'.
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            var fields = close > open && open >= 0 ? stat[(close + 2)..].Split(' ') : [];
            if (fields.Length > 12)
            {
                var seconds = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
                result[pid] = (stat[(open + 1)..close], seconds);
            }
        }

        return result;
    }

    /// <summary>
    /// The CPU seconds spent between two <see cref="ByProcess"/> snapshots, by command name (kernel workers as
    /// "kernel"), busiest first, those of at least <paramref name="minimum"/> s: "dotnet=1.23 postgres=0.80 ...".
    /// </summary>
    public static string Difference(Dictionary<int, (string Command, double Seconds)> before, Dictionary<int, (string Command, double Seconds)> after, double minimum = 0.02) =>
        string.Join(' ', after
            .Select(p => (Command: p.Value.Command.StartsWith("kworker", StringComparison.Ordinal) ? "kernel" : p.Value.Command,
                Seconds: p.Value.Seconds - (before.TryGetValue(p.Key, out var b) ? b.Seconds : 0)))
            .GroupBy(p => p.Command, p => p.Seconds)
            .Select(g => (Command: g.Key, Seconds: g.Sum()))
            .Where(p => p.Seconds >= minimum)
            .OrderByDescending(p => p.Seconds)
            .Select(p => FormattableString.Invariant($"{p.Command}={p.Seconds:F2}")));
}
