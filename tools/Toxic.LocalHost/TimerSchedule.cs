using System.Globalization;
using NCrontab;

namespace ToxicFunctions.LocalHost;

/// <summary>
/// When a timer trigger fires, read as the Functions host reads a <c>[TimerTrigger]</c> schedule: <c>%name%</c> is the
/// app setting of that name; five fields are a CRON expression, six are NCrontab's with seconds first; an expression
/// that is no CRON but a TimeSpan (<c>hh:mm:ss</c>) fires at that interval. Times are UTC.
/// </summary>
internal sealed class TimerSchedule
{
    private readonly CrontabSchedule? _cron;
    private readonly TimeSpan _interval;

    private TimerSchedule(string expression, CrontabSchedule? cron, TimeSpan interval)
    {
        Expression = expression;
        _cron = cron;
        _interval = interval;
    }

    /// <summary>The resolved expression.</summary>
    public string Expression { get; }

    /// <summary>Resolves and parses <paramref name="declared"/>.</summary>
    /// <exception cref="InvalidOperationException">A <c>%setting%</c> that is not set, or an expression that is neither CRON nor TimeSpan.</exception>
    public static TimerSchedule Parse(string declared, IConfiguration configuration)
    {
        var expression = BindingExpressions.Resolve(declared, configuration, "The timer schedule");

        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is 5 or 6
            && CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = fields == 6 }) is { } cron)
        {
            return new TimerSchedule(expression, cron, TimeSpan.Zero);
        }

        if (TimeSpan.TryParse(expression, CultureInfo.InvariantCulture, out var interval) && interval > TimeSpan.Zero)
        {
            return new TimerSchedule(expression, null, interval);
        }

        throw new InvalidOperationException($"The timer schedule '{expression}' (from '{declared}') is neither an NCrontab expression nor a positive TimeSpan.");
    }

    /// <summary>The first time after <paramref name="after"/> (UTC) that the timer fires.</summary>
    public DateTime GetNextOccurrence(DateTime after) =>
        _cron?.GetNextOccurrence(after) ?? after + _interval;
}
