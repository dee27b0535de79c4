using System.ComponentModel.DataAnnotations;

namespace ToxicFunctions.Telemetry;

/// <summary>Settings of what the hosts measure and where they export it (section <c>Telemetry</c>).</summary>
public sealed class TelemetryOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Telemetry";

    /// <summary>The default <see cref="SampleInterval"/>: 15 seconds, Prometheus' usual scrape interval.</summary>
    public static readonly TimeSpan DefaultSampleInterval = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How often the sampled gauges (consumer lag, encoder backlog) are measured. Each sample costs three Kafka
    /// requests and, when staging changed, one search of the staged comments.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SampleInterval { get; set; } = DefaultSampleInterval;
}
