using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using ToxicFunctions.Csv;
using ToxicFunctions.Storage;
using ToxicFunctions.Tokenization;

namespace ToxicFunctions.Ingestion;

/// <summary>
/// Loads one CSV object version into <c>staging.comments</c>: streams and parses it, tokenizes batches of records on
/// all cores while earlier batches are written with binary COPY, and records malformed records in
/// <c>staging.rejected_records</c>. The whole object loads in one transaction, claimed in <c>staging.loads</c>, so
/// a redelivered version adds nothing and a failed load leaves nothing behind to be retried over.
/// </summary>
public sealed class BatchIngestService(
    NpgsqlDataSource dataSource,
    WordPieceTokenizer tokenizer,
    IOptions<IngestOptions> options,
    ILogger<BatchIngestService> logger)
{
    /// <summary>Ingests the object; the content stream is read to its end (or until the object fails).</summary>
    public async Task<IngestResult> IngestAsync(RawObject obj, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        var reference = obj.Reference;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var loadId = await LoadRegistry.TryClaimAsync(connection, reference, cancellationToken);
        if (loadId is null)
        {
            await transaction.RollbackAsync(cancellationToken);
            var (existingId, status, rows, rejected, error) = await LoadRegistry.GetAsync(connection, reference, cancellationToken);
            logger.LogInformation("{Object} was already taken as load {LoadId} ({Status}); nothing added", reference, existingId, status);
            return new IngestResult(reference, status == "failed" ? IngestOutcome.Failed : IngestOutcome.AlreadyLoaded, existingId, rows, rejected, error);
        }

        try
        {
            var (loaded, rejectedCount) = await CopyAsync(connection, loadId.Value, obj.Content, cancellationToken);
            await LoadRegistry.CompleteAsync(connection, loadId.Value, loaded, rejectedCount, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation(
                "{Object} loaded as load {LoadId}: {Rows} rows, {Rejected} rejected, in {Seconds:F2} s",
                reference, loadId, loaded, rejectedCount, stopwatch.Elapsed.TotalSeconds);
            return new IngestResult(reference, IngestOutcome.Loaded, loadId.Value, loaded, rejectedCount, null);
        }
        catch (InvalidDataException e)
        {
            // The object as a whole is unusable (no header, wrong columns): record that, so that redelivery does not retry it.
            await transaction.RollbackAsync(CancellationToken.None);
            var failedId = await LoadRegistry.RecordFailureAsync(connection, reference, e.Message, cancellationToken);
            logger.LogWarning("{Object} failed as load {LoadId}: {Error}", reference, failedId, e.Message);
            return new IngestResult(reference, IngestOutcome.Failed, failedId, 0, 0, e.Message);
        }
    }

    private async Task<(long Loaded, long Rejected)> CopyAsync(NpgsqlConnection connection, long loadId, Stream content, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var parallelism = settings.MaxDegreeOfParallelism > 0 ? settings.MaxDegreeOfParallelism : Environment.ProcessorCount;
        var batches = Channel.CreateBounded<Task<CommentBatch>>(
            new BoundedChannelOptions(parallelism * 2) { SingleReader = true, SingleWriter = true });

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(() => ReadBatchesAsync(content, loadId, settings, batches.Writer, stop.Token), stop.Token);

        await using var writer = new StagingCopyWriter(connection, loadId, settings.RejectedFlushCount);
        try
        {
            await foreach (var pending in batches.Reader.ReadAllAsync(cancellationToken))
            {
                using var batch = await pending;
                await writer.WriteAsync(batch, cancellationToken);
            }

            await producer;
            await writer.CompleteAsync(cancellationToken);
            return (writer.RowsLoaded, writer.RowsRejected);
        }
        finally
        {
            await stop.CancelAsync();
            await producer.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task ReadBatchesAsync(Stream content, long loadId, IngestOptions settings, ChannelWriter<Task<CommentBatch>> batches, CancellationToken cancellationToken)
    {
        try
        {
            using var text = new StreamReader(content, CommentCsvReader.Utf8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
            var csv = new CommentCsvReader(text, settings.MaxRecordChars);
            while (true)
            {
                var batch = new CommentBatch(settings.BatchSize);
                if (!await csv.ReadAsync(batch.Records, batch.Rejected, settings.BatchSize, cancellationToken))
                {
                    break;
                }

                await batches.WriteAsync(Task.Run(() => batch.Prepare(tokenizer, loadId), cancellationToken), cancellationToken);
            }

            batches.Complete();
        }
        catch (Exception e)
        {
            batches.Complete(e);
        }
    }
}
