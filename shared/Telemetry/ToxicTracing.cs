using System.Diagnostics;

namespace ToxicFunctions.Telemetry;

/// <summary>
/// The product's trace spans, on the activity source <see cref="SourceName"/>. Spans, with the OpenTelemetry semantic
/// conventions' attribute names where one exists:
/// <list type="bullet">
/// <item><c>ingest</c>: one object version into staging (<c>toxic.object.*</c>, <c>toxic.load.*</c>), with a child
/// <c>COPY staging.comments</c> (<c>db.*</c>);</item>
/// <item><c>stream batch</c>: a Kafka batch applied to staging (<c>messaging.*</c>), linked to the relay's
/// <c>relay transaction</c> span of each source commit it holds (W3C <c>traceparent</c> header of each event);</item>
/// <item><c>score</c>: one model run of the scoring batcher, linked to each request it answers;</item>
/// <item><c>function NAME</c>: a local-host invocation of a timer, blob or Kafka trigger (<c>faas.*</c>).</item>
/// </list>
/// A pipeline run's trace is Durable Task's own (source <see cref="DurableTaskSourceName"/>): the HTTP start, the
/// orchestration and each activity.
/// </summary>
public static class ToxicTracing
{
    /// <summary>The activity source's name: what a tracer provider subscribes to.</summary>
    public const string SourceName = "ToxicFunctions";

    /// <summary>The activity source of the Durable Task SDK (orchestrations and activities).</summary>
    public const string DurableTaskSourceName = "Microsoft.DurableTask";

    /// <summary>The W3C trace-context header carried by change events from the relay to the stream function.</summary>
    public const string TraceParentHeader = "traceparent";

    /// <summary>The source the product's spans start on.</summary>
    public static ActivitySource Source { get; } = new(SourceName);

    /// <summary>Marks <paramref name="activity"/> failed by <paramref name="exception"/>; returns false, for use in an exception filter.</summary>
    public static bool Fail(Activity? activity, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity?.AddException(exception);
        return false;
    }
}
