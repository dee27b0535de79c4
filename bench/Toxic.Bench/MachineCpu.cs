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
}
