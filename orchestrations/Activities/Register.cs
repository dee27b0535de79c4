using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ToxicFunctions.Pipeline;

namespace ToxicFunctions.Orchestrations.Activities;

/// <summary>Durable activity <c>Register</c>: the run's model becomes the next version in the registry (once per run) and the run is finished.</summary>
public sealed class Register(ModelRegistry registry, ExperimentTracker tracker, IOptions<PipelineOptions> options)
{
    /// <summary>Registers the version; returns its number.</summary>
    [Function(PipelineActivities.Register)]
    public async Task<RegisteredVersion> RunAsync([ActivityTrigger] RegisterRequest request, CancellationToken cancellationToken)
    {
        var name = options.Value.ModelName;
        var version = await registry.RegisterAsync(name, request.RunId, request.Snapshot, request.ArtifactUri, request.Test, cancellationToken);
        await tracker.FinishAsync(request.RunId, null, cancellationToken);
        return new RegisteredVersion(name, version);
    }
}
