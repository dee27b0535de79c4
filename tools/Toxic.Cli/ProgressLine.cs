using System.Globalization;

namespace ToxicFunctions.Cli;

/// <summary>What a <see cref="ProgressLine"/> counts: bytes are shown in SI units (kB, MB, GB), the others as counts named by the unit.</summary>
internal sealed record ProgressUnit(string Name, bool IsBytes = false)
{
    public static readonly ProgressUnit Bytes = new("B", IsBytes: true);

    public static ProgressUnit Count(string name) => new(name);
}

/// <summary>
/// One status line on a terminal, rewritten in place with a carriage return: "ingest  412.3 MB / 1.0 GB  48.2 MB/s
/// 12s left". Reports may come from any thread and as often as the work likes; the line is written at most once per
/// <see cref="Interval"/>, so a hot loop pays a lock and a clock read per report. <see cref="Complete"/> writes the final
/// line and a newline.
/// </summary>
internal sealed class ProgressLine : IProgress<long>
{
    /// <summary>The least time between two writes of the line.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly TextWriter _output;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private string _label;
    private ProgressUnit _unit;
    private long? _total;
    private long _done;
    private long _stageStart;
    private long? _lastWrite;
    private int _lastLength;
    private bool _completed;

    public ProgressLine(TextWriter output, string label, ProgressUnit unit, long? total, TimeProvider time)
    {
        _output = output;
        _time = time;
        _label = label;
        _unit = unit;
        _total = total;
        _stageStart = time.GetTimestamp();
    }

    /// <summary>
    /// A line on standard error, or null when nobody watches it: stderr redirected (a pipe, a file, CI), TERM=dumb (no
    /// carriage return to rewrite with) or <paramref name="disabled"/> (--no-progress). The line has no colours, so
    /// NO_COLOR needs nothing more.
    /// </summary>
    public static ProgressLine? ForStandardError(string label, ProgressUnit unit, long? total, bool disabled) =>
        Wanted(disabled, Console.IsErrorRedirected, Environment.GetEnvironmentVariable("TERM"))
            ? new ProgressLine(Console.Error, label, unit, total, TimeProvider.System)
            : null;

    /// <summary>Whether a progress line is shown, given --no-progress, whether stderr is redirected and TERM.</summary>
    public static bool Wanted(bool disabled, bool errorRedirected, string? term) =>
        !disabled && !errorRedirected && !string.Equals(term, "dumb", StringComparison.Ordinal);

    /// <summary>Sets how much is done; writes the line unless it was written less than <see cref="Interval"/> ago.</summary>
    public void Report(long done)
    {
        lock (_lock)
        {
            // Parallel workers may report out of order: the line never goes back.
            _done = Math.Max(_done, done);
            var now = _time.GetTimestamp();
            if (_completed || (_lastWrite is { } last && _time.GetElapsedTime(last, now) < Interval))
            {
                return;
            }

            _lastWrite = now;
            Write(Format(_label, _unit, _done, _total, _time.GetElapsedTime(_stageStart, now), final: false), newline: false);
        }
    }

    /// <summary>Starts a new stage of the work: its own label, unit and total; the rate and time left start afresh.</summary>
    /// <remarks>A stage that was shown keeps its final line above the new one.</remarks>
    public void Stage(string label, ProgressUnit unit, long? total)
    {
        lock (_lock)
        {
            if (_lastWrite is not null && !_completed)
            {
                Write(Format(_label, _unit, _done, _total, _time.GetElapsedTime(_stageStart), final: true), newline: true);
            }

            (_label, _unit, _total, _done, _stageStart, _lastWrite, _lastLength) = (label, unit, total, 0, _time.GetTimestamp(), null, 0);
        }

        Report(0);
    }

    /// <summary>Writes the final line of the current stage (what was done, the average rate, the time taken) and ends it with a newline.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            Write(Format(_label, _unit, _done, _total, _time.GetElapsedTime(_stageStart), final: true), newline: true);
        }
    }

    /// <summary>The line's text: label, done (/ total), rate, and time left (or, when <paramref name="final"/>, the time taken).</summary>
    public static string Format(string label, ProgressUnit unit, long done, long? total, TimeSpan elapsed, bool final)
    {
        var parts = new List<string> { label, total is { } t ? $"{(unit.IsBytes ? Amount(unit, done) : Number(done))} / {Amount(unit, t)}" : Amount(unit, done) };
        var seconds = elapsed.TotalSeconds;
        var rate = seconds > 0 && done > 0 ? done / seconds : (double?)null;
        if (rate is { } r)
        {
            parts.Add($"{Amount(unit, r)}/s");
        }

        if (final)
        {
            parts.Add($"done in {Duration(elapsed)}");
        }
        else if (rate is { } perSecond && total is { } all && all >= done)
        {
            parts.Add($"{Duration(TimeSpan.FromSeconds((all - done) / perSecond))} left");
        }

        return string.Join("  ", parts);
    }

    /// <summary>An amount in the unit: "412.3 MB" for bytes, "41,200 rows" for counts (rates keep one decimal below 10).</summary>
    public static string Amount(ProgressUnit unit, double value)
    {
        if (!unit.IsBytes)
        {
            return $"{Number(value)} {unit.Name}";
        }

        string[] prefixes = ["B", "kB", "MB", "GB", "TB"];
        var index = 0;
        while (value >= 1000 && index < prefixes.Length - 1)
        {
            value /= 1000;
            index++;
        }

        return index == 0
            ? $"{value.ToString("N0", CultureInfo.InvariantCulture)} B"
            : $"{value.ToString("0.0", CultureInfo.InvariantCulture)} {prefixes[index]}";
    }

    private static string Number(double value) =>
        value.ToString(value < 10 && value != Math.Floor(value) ? "N1" : "N0", CultureInfo.InvariantCulture);

    /// <summary>"12s", "3m04s", "2h05m".</summary>
    public static string Duration(TimeSpan span)
    {
        var seconds = (long)Math.Ceiling(Math.Max(0, span.TotalSeconds));
        return seconds switch
        {
            < 60 => $"{seconds}s",
            < 3600 => $"{seconds / 60}m{seconds % 60:00}s",
            _ => $"{seconds / 3600}h{seconds / 60 % 60:00}m",
        };
    }

    private void Write(string line, bool newline)
    {
        // Spaces over what is left of a longer previous line: no ANSI erase, so any terminal shows it right.
        var padding = Math.Max(0, _lastLength - line.Length);
        _output.Write('\r' + line + new string(' ', padding) + (newline ? Environment.NewLine : ""));
        _output.Flush();
        _lastLength = line.Length;
    }
}
