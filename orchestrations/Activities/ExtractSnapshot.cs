using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ToxicFunctions.Pipeline;

namespace ToxicFunctions.Orchestrations.Activities;

/// <summary>Durable activity <c>ExtractSnapshot</c>: production.comments -> a content-addressed snapshot in the object store (<see cref="SnapshotExtractor"/>).</summary>
public sealed class ExtractSnapshot(SnapshotExtractor extractor, IOptions<PipelineOptions> options)
{
    /// <summary>Extracts (or finds) the snapshot of production as it is now.</summary>
    [Function(PipelineActivities.ExtractSnapshot)]
    public Task<SnapshotInfo> RunAsync([ActivityTrigger] ExtractSnapshotRequest request, CancellationToken cancellationToken) =>
        extractor.ExtractAsync(request.SplitSeed ?? options.Value.SplitSeed, request.TestFraction ?? options.Value.TestFraction, cancellationToken);
}
