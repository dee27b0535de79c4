using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace ToxicFunctions.LocalHost;

/// <summary>
/// Serves each HTTP-triggered function at the methods and route its attributes declare, binding its parameters as the
/// Functions host does: the trigger's <see cref="HttpRequest"/>, route values by parameter name, the
/// <c>[DurableClient]</c> client, the invocation's <see cref="CancellationToken"/>. Results (<see cref="IActionResult"/>)
/// run through MVC's executors, as in the Functions host's ASP.NET Core integration.
/// </summary>
internal static class HttpFunctionEndpoints
{
    /// <summary>
    /// Maps every function of <paramref name="functions"/>. A function bound to types this host cannot give it (such as
    /// <c>HttpRequestData</c>) is served by the handler of the same name in <paramref name="handlers"/>, at the route of
    /// its attribute; without one, building fails here rather than leaving the route unserved.
    /// </summary>
    /// <exception cref="InvalidOperationException">A function cannot be served.</exception>
    public static void MapHttpFunctions(this WebApplication app, IEnumerable<HttpFunction> functions, IReadOnlyDictionary<string, Delegate> handlers)
    {
        foreach (var function in functions)
        {
            var handler = handlers.TryGetValue(function.Name, out var own) ? own : Invoker(function);
            app.MapMethods(function.Pattern, function.HttpMethods, handler).WithName(function.Name);
        }
    }

    private static RequestDelegate Invoker(HttpFunction function)
    {
        var method = function.Method;
        if (method.ReturnType != typeof(Task<IActionResult>))
        {
            throw Unservable(function, $"it returns {method.ReturnType.Name}; this host serves Task<IActionResult>");
        }

        var binders = method.GetParameters().Select(p => Binder(function, p)).ToArray();
        return async context =>
        {
            var instance = method.IsStatic ? null : ActivatorUtilities.GetServiceOrCreateInstance(context.RequestServices, method.DeclaringType!);
            var arguments = binders.Select(bind => bind(context)).ToArray();
            IActionResult result;
            try
            {
                result = await (Task<IActionResult>)method.Invoke(instance, arguments)!;
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
                throw;
            }

            await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
        };
    }

    private static Func<HttpContext, object?> Binder(HttpFunction function, ParameterInfo parameter)
    {
        if (parameter.GetCustomAttribute<HttpTriggerAttribute>() is not null)
        {
            return parameter.ParameterType == typeof(HttpRequest)
                ? static context => context.Request
                : throw Unservable(function, $"its trigger parameter is {parameter.ParameterType.Name}; this host binds HttpRequest");
        }

        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return static context => context.RequestAborted;
        }

        if (parameter.GetCustomAttribute<DurableClientAttribute>() is not null && parameter.ParameterType == typeof(DurableTaskClient))
        {
            return static context => context.RequestServices.GetRequiredService<DurableTaskClient>();
        }

        var name = parameter.Name!;
        if (parameter.ParameterType == typeof(string) && function.Route.Contains('{' + name, StringComparison.OrdinalIgnoreCase))
        {
            return context => context.GetRouteValue(name)?.ToString();
        }

        throw Unservable(function, $"parameter '{name}' ({parameter.ParameterType.Name}) has no binding this host knows");
    }

    private static InvalidOperationException Unservable(HttpFunction function, string why) =>
        new($"The local host cannot serve function {function.Name} ({function.Pattern}): {why}.");
}
