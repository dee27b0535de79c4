using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ToxicFunctions.Streaming;
using ToxicFunctions.Telemetry;

namespace ToxicFunctions.Functions.Streaming;

/// <summary>
/// Kafka trigger: Debezium-format change events of source.comments, in batches, applied to staging.stream_comments.
/// Poison events are dead-lettered inside the batch; a batch fails only when the database does, and is then retried
/// without committing its offsets (host.json, and the retry attribute here), so delivery is at-least-once and the
/// LSN guard makes repeats harmless.
/// </summary>
public sealed class StreamCommentChanges(StreamChangeApplier applier, ILogger<StreamCommentChanges> logger)
{
    /// <summary>Applies the batch.</summary>
    [Function(nameof(StreamCommentChanges))]
    [ExponentialBackoffRetry(5, "00:00:01", "00:00:30")]
    public async Task RunAsync(
        [KafkaTrigger(
            "Kafka:BootstrapServers",
            "%Kafka:Topic%",
            ConsumerGroup = "%Kafka:ConsumerGroup%",
            IsBatched = true,
            Protocol = KafkaTriggerSecurity.Protocol,
            AuthenticationMode = KafkaTriggerSecurity.AuthenticationMode,
            Username = KafkaTriggerSecurity.Username,
            Password = KafkaTriggerSecurity.Password)]
        KafkaRecord[] records,
        CancellationToken cancellationToken)
    {
        var messages = records.Select(r => new StreamMessage(
            r.Topic,
            r.Partition,
            r.Offset,
            r.Key,
            r.Value,
            r.Timestamp is { Type: not KafkaTimestampType.NotAvailable } t ? t.DateTimeOffset : null,
            Array.Find(r.Headers, h => h.Key == ToxicTracing.TraceParentHeader)?.GetValueAsString())).ToList();
        var result = await applier.ApplyAsync(messages, cancellationToken);
        logger.LogInformation(
            "Stream batch: {Events} events, {Applied} applied, {Tombstones} tombstones, {DeadLettered} dead-lettered",
            result.Events, result.Applied, result.Tombstones, result.DeadLettered);
    }
}
