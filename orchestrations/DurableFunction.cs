using System.Reflection;

namespace ToxicFunctions.Orchestrations;

/// <summary>A Durable function as its attributes declare it.</summary>
/// <param name="Name">The function name (<c>[Function]</c>), the name orchestrations call it by.</param>
/// <param name="Kind">Orchestrator or activity.</param>
/// <param name="Method">The method the Functions host invokes.</param>
/// <param name="InputType">The input type: an activity's <c>[ActivityTrigger]</c> parameter, an orchestrator's parameter besides its context (<see cref="object"/> when it has none).</param>
/// <param name="OutputType">The result type (the <c>T</c> of its <c>Task&lt;T&gt;</c>).</param>
public sealed record DurableFunction(string Name, DurableFunctionKind Kind, MethodInfo Method, Type InputType, Type OutputType);
