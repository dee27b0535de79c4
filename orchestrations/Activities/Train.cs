using Microsoft.Azure.Functions.Worker;
using ToxicFunctions.Pipeline;

namespace ToxicFunctions.Orchestrations.Activities;

/// <summary>Durable activity <c>Train</c>: trains on a snapshot, uploads the model directory, tracks the run (<see cref="PipelineTrainer"/>).</summary>
public sealed class Train(PipelineTrainer trainer)
{
    /// <summary>Trains and stores the model; returns where it is and its hold-out metrics.</summary>
    [Function(PipelineActivities.Train)]
    public Task<TrainedModel> RunAsync([ActivityTrigger] TrainRequest request, CancellationToken cancellationToken) =>
        trainer.TrainAsync(request.RunId, request.PipelineInstanceId, request.Snapshot, request.Trainer, cancellationToken);
}
