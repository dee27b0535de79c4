using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ToxicFunctions.Pipeline;
using ToxicFunctions.Training;

namespace ToxicFunctions.Functions.Pipelines;

/// <summary>
/// Timer trigger (setting <c>Pipeline:EncodingSchedule</c>): encodes staged comments that have no kept encoder features
/// yet, a batch at a time until none are left, so that training runs only fit.
/// </summary>
public sealed class EncodeStagedComments(CommentEncodingStore store, IOptions<PipelineOptions> options, ILogger<EncodeStagedComments> logger)
{
    /// <summary>Encodes what was staged since the last tick.</summary>
    [Function(nameof(EncodeStagedComments))]
    public async Task RunAsync([TimerTrigger("%Pipeline:EncodingSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var batchSize = options.Value.EncodingBatchSize;
        var total = 0;
        int encoded;
        do
        {
            encoded = await store.EncodeStagedAsync(new FeatureSettings(), batchSize, cancellationToken);
            total += encoded;
        }
        while (encoded == batchSize);

        if (total > 0)
        {
            logger.LogInformation("Encoded {Count} staged comments", total);
        }
    }
}
