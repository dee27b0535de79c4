using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace ToxicFunctions.LocalHost;

/// <summary>
/// A timer-triggered function of the Function App, as its attributes declare it: <c>[Function(Name)]</c> on the method
/// and <c>[TimerTrigger(schedule)]</c> on one parameter.
/// </summary>
/// <param name="Name">The function name.</param>
/// <param name="Method">The method the Functions host invokes.</param>
/// <param name="Schedule">The schedule as declared: an NCrontab expression, a TimeSpan, or <c>%setting%</c> naming one.</param>
/// <param name="RunOnStartup">Whether the function also runs when the host starts.</param>
internal sealed record TimerFunction(string Name, MethodInfo Method, string Schedule, bool RunOnStartup)
{
    /// <summary>Every timer-triggered function declared in <paramref name="assembly"/>, by name.</summary>
    public static IReadOnlyList<TimerFunction> Discover(Assembly assembly) =>
        [.. HttpFunction.FunctionMethods(assembly)
            .Select(m => (Method: m, Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).SingleOrDefault(a => a is not null)))
            .Where(f => f.Trigger is not null)
            .Select(f => new TimerFunction(f.Method.GetCustomAttribute<FunctionAttribute>()!.Name, f.Method, f.Trigger!.Schedule, f.Trigger.RunOnStartup))
            .OrderBy(f => f.Name, StringComparer.Ordinal)];
}
