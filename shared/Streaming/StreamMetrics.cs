using System.Diagnostics.Metrics;

namespace ToxicFunctions.Streaming;

/// <summary>The change stream's metrics (meter <c>ToxicFunctions.Streaming</c>), for any OpenTelemetry or dotnet-counters listener.</summary>
public static class StreamMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "ToxicFunctions.Streaming";

    private static readonly Meter s_meter = new(MeterName);

    /// <summary>Offset gaps found (<see cref="OffsetGap"/>): each one is events lost before the consumer read them.</summary>
    public static Counter<long> OffsetGaps { get; } = s_meter.CreateCounter<long>("toxic_stream_offset_gaps", "{gap}", "Offset gaps found by the stream consumer");

    /// <summary>Offsets skipped by those gaps.</summary>
    public static Counter<long> OffsetGapEvents { get; } = s_meter.CreateCounter<long>("toxic_stream_offset_gap_events", "{event}", "Events skipped by offset gaps");

    /// <summary>Events dead-lettered to staging.stream_dead_letters.</summary>
    public static Counter<long> DeadLetters { get; } = s_meter.CreateCounter<long>("toxic_stream_dead_letters", "{event}", "Change events dead-lettered");

    /// <summary>Change events applied to staging.</summary>
    public static Counter<long> AppliedChanges { get; } = s_meter.CreateCounter<long>("toxic_stream_applied_changes", "{change}", "Changes applied to staging");
}
