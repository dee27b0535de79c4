using System.Collections.ObjectModel;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;

namespace ToxicFunctions.Tests.Infrastructure;

/// <summary>
/// The spans and log records an OpenTelemetry in-memory exporter receives from a local host it is added to (with the
/// setting <c>Telemetry:Tracing</c>). Activity sources are process-wide, so spans of other tests' hosts may arrive too:
/// a test picks its own by trace id.
/// </summary>
internal sealed class InMemoryTelemetry
{
    private readonly Exported<Activity> _spans = new();
    private readonly Exported<LogRecord> _logs = new();

    /// <summary>The settings that switch tracing on in a host.</summary>
    public static KeyValuePair<string, string?> Setting => new("Telemetry:Tracing", "true");

    /// <summary>The ended spans so far.</summary>
    public List<Activity> Spans => _spans.Snapshot();

    /// <summary>The log records so far (the product's at Information and above).</summary>
    public List<LogRecord> Logs => _logs.Snapshot();

    /// <summary>Adds the exporters to the host's tracer and logger providers.</summary>
    public void AddTo(WebApplicationBuilder builder)
    {
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans));
        builder.Services.ConfigureOpenTelemetryLoggerProvider(logging => logging.AddInMemoryExporter(_logs));
        builder.Logging.AddFilter<OpenTelemetryLoggerProvider>("ToxicFunctions", LogLevel.Information);
    }

    /// <summary>Waits up to <paramref name="timeout"/> for an ended span that matches.</summary>
    public async Task<Activity> WaitForSpanAsync(Func<Activity, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (Spans.FirstOrDefault(match) is { } span)
            {
                return span;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no matching span within {timeout.TotalSeconds} s");
            await Task.Delay(100);
        }
    }

    /// <summary>What an exporter adds, from its export threads, readable meanwhile.</summary>
    private sealed class Exported<T> : Collection<T>
    {
        private readonly Lock _lock = new();

        public List<T> Snapshot()
        {
            lock (_lock)
            {
                return [.. Items];
            }
        }

        protected override void InsertItem(int index, T item)
        {
            lock (_lock)
            {
                base.InsertItem(index, item);
            }
        }
    }
}
