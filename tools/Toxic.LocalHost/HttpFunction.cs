using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace ToxicFunctions.LocalHost;

/// <summary>
/// An HTTP-triggered function of the Function App, as its attributes declare it: <c>[Function(Name)]</c> on the method
/// and <c>[HttpTrigger(level, methods..., Route = ...)]</c> on one parameter.
/// </summary>
/// <param name="Name">The function name.</param>
/// <param name="Method">The method the Functions host invokes.</param>
/// <param name="HttpMethods">The HTTP methods, upper case.</param>
/// <param name="Route">The route template under the route prefix (<c>api/</c>), as declared.</param>
internal sealed record HttpFunction(string Name, MethodInfo Method, IReadOnlyList<string> HttpMethods, string Route)
{
    /// <summary>The Functions host's default route prefix (host.json <c>extensions.http.routePrefix</c>, not set here).</summary>
    public const string RoutePrefix = "api";

    /// <summary>The path template the host serves: <c>/api/{Route}</c>.</summary>
    public string Pattern => $"/{RoutePrefix}/{Route}";

    /// <summary>Every HTTP-triggered function declared in <paramref name="assembly"/>, by name.</summary>
    public static IReadOnlyList<HttpFunction> Discover(Assembly assembly) =>
        [.. FunctionMethods(assembly)
            .Select(m => (Method: m, Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).SingleOrDefault(a => a is not null)))
            .Where(f => f.Trigger is not null)
            .Select(f => new HttpFunction(
                f.Method.GetCustomAttribute<FunctionAttribute>()!.Name,
                f.Method,
                [.. (f.Trigger!.Methods ?? ["get", "post"]).Select(m => m.ToUpperInvariant())],
                f.Trigger.Route ?? f.Method.GetCustomAttribute<FunctionAttribute>()!.Name))
            .OrderBy(f => f.Name, StringComparer.Ordinal)];

    /// <summary>Every public method with a <c>[Function]</c> attribute in <paramref name="assembly"/>.</summary>
    public static IEnumerable<MethodInfo> FunctionMethods(Assembly assembly) =>
        assembly.GetExportedTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null);
}
