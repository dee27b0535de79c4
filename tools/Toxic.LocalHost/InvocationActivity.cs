using System.Diagnostics;
using ToxicFunctions.Telemetry;

namespace ToxicFunctions.LocalHost;

/// <summary>
/// The span of one invocation of a function by a local trigger (blob, Kafka, timer), as the Functions host records
/// one: the root of the trace of what the function does. HTTP functions have ASP.NET Core's request span instead.
/// </summary>
internal static class InvocationActivity
{
    /// <summary>Starts the span, or returns null when nothing records traces.</summary>
    /// <param name="function">The function's name.</param>
    /// <param name="trigger">OpenTelemetry's <c>faas.trigger</c>: <c>datasource</c> (blob), <c>pubsub</c> (Kafka), <c>timer</c>.</param>
    public static Activity? Start(string function, string trigger)
    {
        var activity = ToxicTracing.Source.StartActivity($"function {function}", ActivityKind.Consumer);
        activity?.SetTag("faas.name", function);
        activity?.SetTag("faas.trigger", trigger);
        return activity;
    }
}
