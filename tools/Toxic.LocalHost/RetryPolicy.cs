using System.Globalization;
using Microsoft.Azure.Functions.Worker;

namespace ToxicFunctions.LocalHost;

/// <summary>
/// A function's retry policy as the Functions host reads it from <c>[FixedDelayRetry]</c> or
/// <c>[ExponentialBackoffRetry]</c>. After <see cref="MaxRetryCount"/> retries the local host's Kafka trigger keeps
/// retrying at <see cref="MaximumDelay"/> rather than skip the events (the host would move on).
/// </summary>
/// <param name="MaxRetryCount">Retries after the first attempt.</param>
/// <param name="FirstDelay">The delay before the first retry.</param>
/// <param name="MaximumDelay">The longest delay between retries.</param>
/// <param name="Exponential">Whether the delay doubles after each retry, up to <paramref name="MaximumDelay"/>.</param>
internal sealed record RetryPolicy(int MaxRetryCount, TimeSpan FirstDelay, TimeSpan MaximumDelay, bool Exponential)
{
    /// <summary>Without a retry attribute: try again every second.</summary>
    public static RetryPolicy None { get; } = new(0, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), false);

    /// <summary>The policy an attribute declares.</summary>
    /// <exception cref="NotSupportedException">A retry attribute of another kind.</exception>
    public static RetryPolicy Of(RetryAttribute? retry) => retry switch
    {
        null => None,
        ExponentialBackoffRetryAttribute e => new(e.MaxRetryCount, Interval(e.MinimumInterval), Interval(e.MaximumInterval), true),
        FixedDelayRetryAttribute f => new(f.MaxRetryCount, Interval(f.DelayInterval), Interval(f.DelayInterval), false),
        _ => throw new NotSupportedException($"The local host does not know the retry attribute {retry.GetType().Name}."),
    };

    /// <summary>The delay after <paramref name="delay"/>.</summary>
    public TimeSpan Next(TimeSpan delay) => Exponential ? TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaximumDelay.Ticks)) : delay;

    private static TimeSpan Interval(string value) => TimeSpan.Parse(value, CultureInfo.InvariantCulture);
}
