using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ToxicFunctions.Orchestrations;

/// <summary>
/// Registers the Durable functions of an assembly on a Durable Task worker outside the Functions host (the local
/// host's and the tests' in-process backend), read from their attributes as the Functions host reads them: every
/// <c>[Function]</c> method with an <c>[OrchestrationTrigger]</c> parameter is an orchestrator, every one with an
/// <c>[ActivityTrigger]</c> parameter an activity of that name. Each activity call creates its function class from the
/// worker's services, as the Functions host does.
/// </summary>
public static class DurableFunctionRegistration
{
    /// <summary>The Durable functions <paramref name="assembly"/> declares, by name.</summary>
    /// <exception cref="InvalidOperationException">A function whose signature the registration cannot bind.</exception>
    public static IReadOnlyList<DurableFunction> Discover(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var functions = new List<DurableFunction>();
        foreach (var method in assembly.GetExportedTypes().SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)))
        {
            if (method.GetCustomAttribute<FunctionAttribute>() is not { } function)
            {
                continue;
            }

            var parameters = method.GetParameters();
            var orchestration = parameters.Any(p => p.GetCustomAttribute<OrchestrationTriggerAttribute>() is not null);
            var activity = parameters.SingleOrDefault(p => p.GetCustomAttribute<ActivityTriggerAttribute>() is not null);
            if (!orchestration && activity is null)
            {
                continue;
            }

            if (!method.ReturnType.IsGenericType || method.ReturnType.GetGenericTypeDefinition() != typeof(Task<>))
            {
                throw Unbindable(function.Name, $"it returns {method.ReturnType.Name}; Task<T> is expected");
            }

            // An orchestrator's input is its one parameter besides the context, as the Durable extension binds it (an
            // orchestrator without one reads no input); an activity's is its [ActivityTrigger] parameter.
            var kind = orchestration ? DurableFunctionKind.Orchestrator : DurableFunctionKind.Activity;
            var input = orchestration ? parameters.Where(p => p.ParameterType != typeof(TaskOrchestrationContext)).ToList() : [activity!];
            var unbound = parameters.Where(p => p.ParameterType != typeof(TaskOrchestrationContext) && p.ParameterType != typeof(CancellationToken) && !input.Contains(p))
                .Concat(orchestration ? input.Skip(1) : []).FirstOrDefault();
            if (unbound is not null || (orchestration && parameters.Any(p => p.ParameterType == typeof(CancellationToken))))
            {
                var parameter = unbound ?? parameters.First(p => p.ParameterType == typeof(CancellationToken));
                throw Unbindable(function.Name, $"parameter '{parameter.Name}' ({parameter.ParameterType.Name}) has no binding here");
            }

            functions.Add(new DurableFunction(function.Name, kind, method, input.FirstOrDefault()?.ParameterType ?? typeof(object), method.ReturnType.GetGenericArguments()[0]));
        }

        return [.. functions.OrderBy(f => f.Name, StringComparer.Ordinal)];
    }

    /// <summary>Adds every orchestrator and activity <paramref name="assembly"/> declares.</summary>
    /// <exception cref="InvalidOperationException">A function whose signature the registration cannot bind.</exception>
    public static DurableTaskRegistry AddDurableFunctions(this DurableTaskRegistry registry, Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach (var function in Discover(assembly))
        {
            var add = (function.Kind == DurableFunctionKind.Orchestrator ? s_addOrchestrator : s_addActivity)
                .MakeGenericMethod(function.InputType, function.OutputType);
            add.Invoke(null, [registry, function]);
        }

        return registry;
    }

    private static readonly MethodInfo s_addOrchestrator = typeof(DurableFunctionRegistration).GetMethod(nameof(AddOrchestrator), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo s_addActivity = typeof(DurableFunctionRegistration).GetMethod(nameof(AddActivity), BindingFlags.NonPublic | BindingFlags.Static)!;

    // Orchestrator classes are created per execution with their parameterless constructor (they must be deterministic,
    // so they take no services).
    private static void AddOrchestrator<TInput, TOutput>(DurableTaskRegistry registry, DurableFunction function) =>
        registry.AddOrchestratorFunc<TInput, TOutput>(function.Name, (context, input) => Invoke<TOutput>(
            function.Method,
            function.Method.IsStatic ? null : Activator.CreateInstance(function.Method.DeclaringType!),
            [.. function.Method.GetParameters().Select(p => p.ParameterType == typeof(TaskOrchestrationContext) ? (object?)context : input)]));

    // Activities run until done or until the host stops (the standalone SDK gives activities no token of their own).
    private static void AddActivity<TInput, TOutput>(DurableTaskRegistry registry, DurableFunction function) =>
        registry.AddActivity(function.Name, services => FuncTaskActivity.Create<TInput, TOutput>((_, input) =>
        {
            var stopping = services.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
            var instance = function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, function.Method.DeclaringType!);
            var arguments = function.Method.GetParameters().Select(p => p.ParameterType == typeof(CancellationToken) ? (object?)stopping : input).ToArray();
            return Invoke<TOutput>(function.Method, instance, arguments);
        }));

    private static Task<TOutput> Invoke<TOutput>(MethodInfo method, object? instance, object?[] arguments)
    {
        try
        {
            return (Task<TOutput>)method.Invoke(instance, arguments)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    private static InvalidOperationException Unbindable(string name, string why) =>
        new($"Durable function {name} cannot be registered outside the Functions host: {why}.");
}
