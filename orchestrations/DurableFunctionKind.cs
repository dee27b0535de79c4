namespace ToxicFunctions.Orchestrations;

/// <summary>The trigger of a Durable function.</summary>
public enum DurableFunctionKind
{
    /// <summary><c>[OrchestrationTrigger]</c>.</summary>
    Orchestrator,

    /// <summary><c>[ActivityTrigger]</c>.</summary>
    Activity,
}
