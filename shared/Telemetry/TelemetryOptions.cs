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

    /// <summary>
    /// Records traces and structured logs through OpenTelemetry even with no exporter setting (for an exporter a host
    /// adds itself, as tests do). With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c>
    /// set they are recorded anyway.
    /// </summary>
    public bool Tracing { get; set; }

    /// <summary>
    /// The port of the Function App's own Prometheus scrape endpoint (<c>http://+:PORT/metrics</c>), for containers
    /// (Kubernetes, docker compose set 9464, Prometheus' registered port for OpenTelemetry exporters); 0, the default,
    /// serves none (in Azure, metrics go to Azure Monitor). The local host and <c>toxic serve</c> answer
    /// <c>GET /metrics</c> on their own port instead.
    /// </summary>
    [Range(0, 65535)]
    public int PrometheusPort { get; set; }
}
