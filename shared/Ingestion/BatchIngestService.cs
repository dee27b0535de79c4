using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using ToxicFunctions.Csv;
using ToxicFunctions.Lake;
using ToxicFunctions.Storage;
using ToxicFunctions.Telemetry;
using ToxicFunctions.Tokenization;

namespace ToxicFunctions.Ingestion;

/// <summary>
/// Loads one CSV object version into <c>staging.comments</c>: streams and parses it, tokenizes batches of records on
/// all cores while earlier batches are written with binary COPY, and records malformed records in
/// <c>staging.rejected_records</c>. The whole object loads in one transaction, claimed in <c>staging.loads</c>, so
/// a redelivered version adds nothing and a failed load leaves nothing behind to be retried over. The accepted rows are
/// also appended to the raw zone's Delta table (<see cref="RawCommentsLake"/>), committed before the load's transaction,
/// so a load in staging always has its rows in the lake (a retry after a failed transaction finds the object's txn there).
/// </summary>
public sealed class BatchIngestService(
    NpgsqlDataSource dataSource,
    WordPieceTokenizer tokenizer,
    RawCommentsLake lake,
    IOptions<IngestOptions> options,
    ToxicMetrics metrics,
    ILogger<BatchIngestService> logger)
{
    /// <summary>The reason recorded for a skipped folder marker.</summary>
    public const string FolderMarkerReason = "folder marker: a zero-byte directory placeholder (a key ending in '/', or hdi_isfolder) holds no data";

    /// <summary>Ingests the object (a folder marker is recorded as skipped); the content stream is read to its end (or until the object fails).</summary>
    public async Task<IngestResult> IngestAsync(RawObject obj, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(obj);
        using var activity = StartIngestActivity(obj.Reference);
        try
        {
            var result = await LoadAsync(obj, cancellationToken);
            metrics.RecordLoad(result);
            return Traced(activity, result);
        }
        catch (Exception e) when (ToxicTracing.Fail(activity, e))
        {
            throw;
        }
    }

    /// <summary>
    /// Records an announced object version from which nothing is loaded, so that an operator finds it among the loads
    /// (<c>GET /api/loads</c>, <c>staging.loads</c>) rather than only in a log.
    /// </summary>
    /// <param name="reference">The version as announced (its version is the announcement's version id or ETag when the object could not be read).</param>
    /// <param name="outcome"><see cref="IngestOutcome.Skipped"/> or <see cref="IngestOutcome.NotFound"/> (or <see cref="IngestOutcome.Failed"/>).</param>
    /// <param name="reason">Why nothing was loaded, for the operator.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The recorded result; a version recorded before with another status (loaded, say) keeps that record and returns it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="outcome"/> is one that loads rows.</exception>
    public async Task<IngestResult> RecordUnloadedAsync(ObjectRef reference, IngestOutcome outcome, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        using var activity = StartIngestActivity(reference);
        try
        {
            var result = await RecordUnloadedCoreAsync(reference, outcome, reason, cancellationToken);
            metrics.RecordLoad(result);
            return Traced(activity, result);
        }
        catch (Exception e) when (ToxicTracing.Fail(activity, e))
        {
            throw;
        }
    }

    private static Activity? StartIngestActivity(ObjectRef reference)
    {
        var activity = ToxicTracing.Source.StartActivity("ingest");
        activity?.SetTag("toxic.object.store", reference.Store);
        activity?.SetTag("toxic.object.container", reference.Container);
        activity?.SetTag("toxic.object.key", reference.Key);
        activity?.SetTag("toxic.object.version", reference.Version);
        return activity;
    }

    private static IngestResult Traced(Activity? activity, IngestResult result)
    {
        activity?.SetTag("toxic.load.id", result.LoadId);
        activity?.SetTag("toxic.load.outcome", result.Outcome.ToString());
        activity?.SetTag("toxic.load.rows", result.RowsLoaded);
        activity?.SetTag("toxic.load.rejected", result.RowsRejected);
        if (result.Outcome == IngestOutcome.Failed)
        {
            activity?.SetStatus(ActivityStatusCode.Error, result.Reason);
        }

        return result;
    }

    private async Task<IngestResult> LoadAsync(RawObject obj, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var reference = obj.Reference;
        if (obj.IsFolderMarker)
        {
            return await RecordUnloadedCoreAsync(reference, IngestOutcome.Skipped, FolderMarkerReason, cancellationToken);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var loadId = await LoadRegistry.TryClaimAsync(connection, reference, cancellationToken);
        if (loadId is null)
        {
            await transaction.RollbackAsync(cancellationToken);
            var existing = await LoadRegistry.GetAsync(connection, reference, cancellationToken);
            logger.LogInformation("{Object} was already taken as load {LoadId} ({Outcome}); nothing added", reference, existing.LoadId, existing.Outcome);
            return existing;
        }

        try
        {
            await using var append = lake.Begin(reference);
            var (loaded, rejectedCount) = await CopyAsync(connection, loadId.Value, obj, append, cancellationToken);
            if (append is not null)
            {
                var version = await append.CommitAsync(cancellationToken);
                logger.LogInformation(
                    "{Object}: {Rows} rows {Outcome} {Table}", reference, append.Rows,
                    version is null ? "were already in" : $"appended as version {version} of", lake.Table!.Uri);
            }

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
            var failed = await LoadRegistry.RecordUnloadedAsync(connection, reference, IngestOutcome.Failed, e.Message, cancellationToken);
            logger.LogWarning("{Object} failed as load {LoadId}: {Reason}", reference, failed.LoadId, e.Message);
            return failed;
        }
    }

    private async Task<IngestResult> RecordUnloadedCoreAsync(ObjectRef reference, IngestOutcome outcome, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var result = await LoadRegistry.RecordUnloadedAsync(connection, reference, outcome, reason, cancellationToken);
        logger.LogWarning("{Object} recorded as load {LoadId} ({Outcome}): {Reason}", reference, result.LoadId, result.Outcome, result.Reason);
        return result;
    }

    private async Task<(long Loaded, long Rejected)> CopyAsync(
        NpgsqlConnection connection, long loadId, RawObject obj, RawCommentsAppend? append, CancellationToken cancellationToken)
    {
        using var activity = ToxicTracing.Source.StartActivity("COPY staging.comments", ActivityKind.Client);
        activity?.SetTag("db.system.name", "postgresql");
        activity?.SetTag("db.operation.name", "COPY");
        activity?.SetTag("db.collection.name", "staging.comments");
        activity?.SetTag("toxic.load.id", loadId);
        var settings = options.Value;
        var parallelism = settings.MaxDegreeOfParallelism > 0 ? settings.MaxDegreeOfParallelism : Environment.ProcessorCount;
        var batches = Channel.CreateBounded<Task<CommentBatch>>(
            new BoundedChannelOptions(parallelism * 2) { SingleReader = true, SingleWriter = true });

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(() => ReadBatchesAsync(obj, loadId, settings, batches.Writer, stop.Token), stop.Token);

        // The lake's Parquet file is encoded on its own task while COPY runs, in batch order.
        var lakeRows = Channel.CreateBounded<List<CommentRecord>>(new BoundedChannelOptions(parallelism * 2) { SingleReader = true, SingleWriter = true });
        var lakeWriter = append is null ? Task.CompletedTask : Task.Run(() => WriteLakeRowsAsync(append, lakeRows.Reader, stop.Token), stop.Token);

        await using var writer = new StagingCopyWriter(connection, loadId, settings.RejectedFlushCount);
        try
        {
            await foreach (var pending in batches.Reader.ReadAllAsync(cancellationToken))
            {
                using var batch = await pending;
                await writer.WriteAsync(batch, cancellationToken);
                if (append is not null)
                {
                    await lakeRows.Writer.WriteAsync(batch.Records, cancellationToken);
                }
            }

            await producer;
            lakeRows.Writer.Complete();
            await lakeWriter;
            await writer.CompleteAsync(cancellationToken);
            activity?.SetTag("db.response.returned_rows", writer.RowsLoaded);
            return (writer.RowsLoaded, writer.RowsRejected);
        }
        catch (Exception e) when (ToxicTracing.Fail(activity, e))
        {
            throw;
        }
        finally
        {
            await stop.CancelAsync();
            lakeRows.Writer.TryComplete();
            await producer.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            await lakeWriter.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private static async Task WriteLakeRowsAsync(RawCommentsAppend append, ChannelReader<List<CommentRecord>> rows, CancellationToken cancellationToken)
    {
        await foreach (var records in rows.ReadAllAsync(cancellationToken))
        {
            await append.AddAsync(records, cancellationToken);
        }
    }

    private async Task ReadBatchesAsync(RawObject obj, long loadId, IngestOptions settings, ChannelWriter<Task<CommentBatch>> batches, CancellationToken cancellationToken)
    {
        try
        {
            if (IsParquet(obj.Reference))
            {
                await ReadParquetBatchesAsync(obj.Content, loadId, settings, batches, cancellationToken);
            }
            else
            {
                using var text = new StreamReader(obj.Content, CommentCsvReader.Utf8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
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
            }

            batches.Complete();
        }
        catch (Exception e)
        {
            batches.Complete(e);
        }
    }

    /// <summary>Whether the object is read as Parquet (its key ends in .parquet) rather than as CSV.</summary>
    public static bool IsParquet(ObjectRef reference) => reference.Key.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);

    // Parquet's footer is at the end: the object is spooled to a local file, then read a row group at a time.
    private async Task ReadParquetBatchesAsync(Stream content, long loadId, IngestOptions settings, ChannelWriter<Task<CommentBatch>> batches, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"toxic-ingest-{Guid.NewGuid():N}.parquet");
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await content.CopyToAsync(file, cancellationToken);
            }

            using var reader = new ParquetCommentReader(path);
            while (true)
            {
                var batch = new CommentBatch(settings.BatchSize);
                if (!reader.Read(batch.Records, batch.Rejected, settings.BatchSize))
                {
                    break;
                }

                await batches.WriteAsync(Task.Run(() => batch.Prepare(tokenizer, loadId), cancellationToken), cancellationToken);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
