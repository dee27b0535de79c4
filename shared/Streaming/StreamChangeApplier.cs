using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using ToxicFunctions.Database;
using ToxicFunctions.Telemetry;
using ToxicFunctions.Tokenization;

namespace ToxicFunctions.Streaming;

/// <summary>
/// Applies a batch of change events of source.comments to <c>staging.stream_comments</c>: creates, updates and
/// snapshot reads are tokenized and upserted, deletes leave a tombstone row, a truncate turns every row written before it
/// into a tombstone, Kafka tombstones are skipped, and an event that cannot be read goes to
/// <c>staging.stream_dead_letters</c> while the rest of the batch proceeds. A row only moves forward: an event whose
/// (commit, change) WAL position is not newer than the stored one changes nothing, and one positioned before the latest
/// truncate is not applied, so redelivered, repeated and out-of-order events are harmless. A text that carries the
/// connector's unavailable-value placeholder keeps the stored text and token ids. The batch's offsets are checked for
/// gaps (<see cref="OffsetGap"/>, logged as errors and kept in <c>staging.stream_offset_gaps</c>). The whole batch
/// commits in one transaction.
/// </summary>
public sealed class StreamChangeApplier(
    [FromKeyedServices(StreamChangeApplier.DataSourceKey)] NpgsqlDataSource dataSource,
    WordPieceTokenizer tokenizer,
    PartitionWatermarks watermarks,
    IOptions<KafkaOptions> kafka,
    IOptions<CdcOptions> cdc,
    ToxicMetrics metrics,
    ILogger<StreamChangeApplier> logger)
{
    /// <summary>
    /// The key of the applier's own <see cref="NpgsqlDataSource"/>: the configured database, with connections that keep
    /// their session state in the pool (its batch table lives as long as the connection).
    /// </summary>
    public const string DataSourceKey = "stream";

    private const string StagingLockName = "staging.stream_comments";

    private const string CreateBatchTable =
        """
        CREATE TEMP TABLE IF NOT EXISTS stream_batch (
            source_id uuid, comment_text text, labels smallint, input_ids integer[], deleted boolean,
            source_lsn pg_lsn, source_commit_lsn pg_lsn, source_ts timestamptz, op char(1), text_unavailable boolean,
            feedback boolean) ON COMMIT DELETE ROWS
        """;

    // A placeholder text takes the stored text and ids; what is left without one cannot be applied (dead-lettered).
    private const string ResolvePlaceholders =
        """
        UPDATE stream_batch b SET comment_text = s.comment_text, input_ids = s.input_ids, text_unavailable = false
        FROM staging.stream_comments s
        WHERE b.text_unavailable AND s.source_id = b.source_id AND s.comment_text IS NOT NULL
        """;

    private const string UnresolvedPlaceholders = "DELETE FROM stream_batch WHERE text_unavailable RETURNING source_id";

    // Rows written before a truncate become tombstones at its position.
    private const string Truncate =
        """
        UPDATE staging.stream_comments s SET
            comment_text = NULL, labels = NULL, input_ids = NULL, deleted = true, op = 't',
            source_lsn = @lsn, source_commit_lsn = @commit, source_ts = @ts, updated_at = now()
        WHERE NOT s.deleted AND (coalesce(s.source_commit_lsn, s.source_lsn), s.source_lsn) < (@commit, @lsn)
        """;

    private const string RecordTruncate =
        """
        INSERT INTO staging.stream_truncates (source_commit_lsn, source_lsn, source_ts, topic, partition, "offset", rows_truncated)
        VALUES (@commit, @lsn, @ts, @topic, @partition, @offset, @rows)
        ON CONFLICT DO NOTHING
        """;

    // A change applies when it is newer than the stored row and not older than the latest truncate. A row a truncate
    // removed may be written again at the truncate's own position: a re-snapshot's rows follow its truncate there.
    private const string Upsert =
        """
        INSERT INTO staging.stream_comments AS s
            (source_id, comment_text, labels, input_ids, deleted, source_lsn, source_commit_lsn, source_ts, op, feedback)
        SELECT source_id, comment_text, labels, input_ids, deleted, source_lsn, source_commit_lsn, source_ts, op, feedback FROM stream_batch b
        WHERE NOT EXISTS (SELECT 1 FROM staging.stream_truncates t WHERE (t.source_commit_lsn, t.source_lsn) > (b.source_commit_lsn, b.source_lsn))
        ON CONFLICT (source_id) DO UPDATE SET
            comment_text = EXCLUDED.comment_text, labels = EXCLUDED.labels, input_ids = EXCLUDED.input_ids,
            deleted = EXCLUDED.deleted, source_lsn = EXCLUDED.source_lsn, source_commit_lsn = EXCLUDED.source_commit_lsn,
            source_ts = EXCLUDED.source_ts, op = EXCLUDED.op, feedback = EXCLUDED.feedback, updated_at = now()
        WHERE (coalesce(s.source_commit_lsn, s.source_lsn), s.source_lsn) < (EXCLUDED.source_commit_lsn, EXCLUDED.source_lsn)
           OR (s.op = 't' AND (s.source_commit_lsn, s.source_lsn) = (EXCLUDED.source_commit_lsn, EXCLUDED.source_lsn))
        """;

    private const string DeadLetter =
        """
        INSERT INTO staging.stream_dead_letters (topic, partition, "offset", message_key, payload, error)
        SELECT * FROM unnest(@topics, @partitions, @offsets, @keys, @payloads, @errors)
        ON CONFLICT ON CONSTRAINT stream_dead_letters_position_key DO NOTHING
        """;

    private readonly StreamOffsetTracker _offsets = new(watermarks, logger);

    /// <summary>Applies the batch; throws only when the database fails (then nothing of the batch is kept).</summary>
    public async Task<StreamBatchResult> ApplyAsync(IReadOnlyList<StreamMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        using var activity = StartBatchActivity(messages);
        try
        {
            var result = await ApplyCoreAsync(messages, cancellationToken);
            activity?.SetTag("toxic.stream.applied", result.Applied);
            activity?.SetTag("toxic.stream.dead_lettered", result.DeadLettered);
            return result;
        }
        catch (Exception e) when (ToxicTracing.Fail(activity, e))
        {
            throw;
        }
    }

    // The batch's span, linked to the relay's span of each source transaction whose events it holds.
    private static Activity? StartBatchActivity(IReadOnlyList<StreamMessage> messages)
    {
        if (!ToxicTracing.Source.HasListeners())
        {
            return null;
        }

        var links = messages
            .Select(m => m.TraceParent)
            .Where(t => t is not null)
            .Distinct(StringComparer.Ordinal)
            .Select(t => ActivityContext.TryParse(t, null, out var context) ? new ActivityLink(context) : default)
            .Where(l => l.Context != default)
            .ToList();
        var activity = ToxicTracing.Source.StartActivity("stream batch", ActivityKind.Consumer, Activity.Current?.Context ?? default, links: links);
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.operation.type", "process");
        activity?.SetTag("messaging.batch.message_count", messages.Count);
        if (messages.Count > 0)
        {
            activity?.SetTag("messaging.destination.name", messages[0].Topic);
        }

        return activity;
    }

    private async Task<StreamBatchResult> ApplyCoreAsync(IReadOnlyList<StreamMessage> messages, CancellationToken cancellationToken)
    {
        var placeholder = cdc.Value.UnavailableValuePlaceholder;
        var latest = new Dictionary<Guid, (CommentChange Change, StreamMessage Message)>();
        var latestText = new Dictionary<Guid, CommentChange>();
        var truncates = new List<(CommentChange Change, StreamMessage Message)>();
        var poison = new List<(StreamMessage Message, string Error)>();
        var tombstones = 0;
        foreach (var message in messages)
        {
            try
            {
                if (CommentChangeParser.Parse(message, placeholder) is not { } change)
                {
                    tombstones++;
                    continue;
                }

                if (change.IsTruncate)
                {
                    truncates.Add((change, message));
                    continue;
                }

                if (!latest.TryGetValue(change.SourceId, out var seen) || change.IsAfter(seen.Change))
                {
                    latest[change.SourceId] = (change, message);
                }

                if (change.Text is not null && (!latestText.TryGetValue(change.SourceId, out var text) || change.IsAfter(text)))
                {
                    latestText[change.SourceId] = change;
                }
            }
            catch (StreamEventException e)
            {
                poison.Add((message, e.Message));
            }
        }

        // A placeholder whose comment this batch carries an earlier text of takes that text.
        var changes = latest.Values.Select(v => v.Change.TextUnavailable && latestText.TryGetValue(v.Change.SourceId, out var earlier) && v.Change.IsAfter(earlier)
            ? v.Change with { Text = earlier.Text, TextUnavailable = false }
            : v.Change).ToArray();
        var ids = new int[changes.Length][];
        Parallel.For(0, changes.Length, BoundedParallelism.Options, i => ids[i] = changes[i].Text is { } text ? tokenizer.Encode(text) : []);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Batches of different partitions apply at the same time; a truncate applies alone, so that no batch can write a
        // row older than the truncate that the truncate's update did not see and the batch's check did not either.
        await AdvisoryLock.ForTransactionAsync(connection, StagingLockName, shared: truncates.Count == 0, cancellationToken);
        var truncated = 0L;
        foreach (var (change, message) in truncates.OrderBy(t => (t.Change.CommitLsn, t.Change.Lsn)))
        {
            truncated += await TruncateAsync(connection, change, message, cancellationToken);
        }

        var applied = 0;
        if (changes.Length > 0)
        {
            await using (var create = new NpgsqlCommand(CreateBatchTable, connection, transaction))
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }

            await CopyAsync(connection, changes, ids, cancellationToken);
            if (changes.Any(c => c.TextUnavailable))
            {
                await using (var resolve = new NpgsqlCommand(ResolvePlaceholders, connection, transaction))
                {
                    await resolve.ExecuteNonQueryAsync(cancellationToken);
                }

                await using var unresolved = new NpgsqlCommand(UnresolvedPlaceholders, connection, transaction);
                await using var reader = await unresolved.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    poison.Add((latest[reader.GetGuid(0)].Message,
                        $"comment_text is the connector's unavailable-value placeholder ('{placeholder}': an unchanged TOASTed value it could not read) and no text of this comment is stored to keep"));
                }
            }

            await using var upsert = new NpgsqlCommand(Upsert, connection, transaction);
            applied = await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        if (poison.Count > 0)
        {
            await DeadLetterAsync(connection, poison, cancellationToken);
        }

        var gaps = messages.Count > 0
            ? await _offsets.TrackAsync(connection, kafka.Value.ConsumerGroup, messages, cancellationToken)
            : [];
        await transaction.CommitAsync(cancellationToken);

        foreach (var gap in gaps)
        {
            logger.LogError(
                "Offset gap on {Topic}[{Partition}] for group {Group}: expected offset {Expected}, resumed at {Resumed} ({Missing} events never consumed; log start {LogStart}). Repair with a re-snapshot: toxic cdc-relay --resnapshot",
                gap.Topic, gap.Partition, gap.ConsumerGroup, gap.ExpectedOffset, gap.ResumedOffset, gap.MissingEvents, gap.LogStartOffset);
        }

        metrics.RecordStreamBatch(
            applied + truncated, [.. latest.Values.Select(v => v.Change.CommittedAt), .. truncates.Select(t => t.Change.CommittedAt)], DateTimeOffset.UtcNow, poison.Count, gaps);
        return new StreamBatchResult(messages.Count, applied, tombstones, poison.Count) { Truncated = truncated, OffsetGaps = gaps.Count };
    }

    private static async Task<long> TruncateAsync(NpgsqlConnection connection, CommentChange change, StreamMessage message, CancellationToken cancellationToken)
    {
        await using var truncate = new NpgsqlCommand(Truncate, connection);
        AddPosition(truncate.Parameters, change);
        var rows = await truncate.ExecuteNonQueryAsync(cancellationToken);

        await using var record = new NpgsqlCommand(RecordTruncate, connection);
        AddPosition(record.Parameters, change);
        record.Parameters.AddWithValue("topic", message.Topic);
        record.Parameters.AddWithValue("partition", message.Partition);
        record.Parameters.AddWithValue("offset", message.Offset);
        record.Parameters.AddWithValue("rows", (long)rows);
        await record.ExecuteNonQueryAsync(cancellationToken);
        return rows;
    }

    private static void AddPosition(NpgsqlParameterCollection parameters, CommentChange change)
    {
        parameters.AddWithValue("lsn", NpgsqlDbType.PgLsn, new NpgsqlLogSequenceNumber(change.Lsn));
        parameters.AddWithValue("commit", NpgsqlDbType.PgLsn, new NpgsqlLogSequenceNumber(change.CommitLsn));
        parameters.AddWithValue("ts", change.CommittedAt);
    }

    private async Task DeadLetterAsync(NpgsqlConnection connection, List<(StreamMessage Message, string Error)> poison, CancellationToken cancellationToken)
    {
        await using var dead = new NpgsqlCommand(DeadLetter, connection);
        dead.Parameters.AddWithValue("topics", poison.Select(p => p.Message.Topic).ToArray());
        dead.Parameters.AddWithValue("partitions", poison.Select(p => p.Message.Partition).ToArray());
        dead.Parameters.AddWithValue("offsets", poison.Select(p => p.Message.Offset).ToArray());
        dead.Parameters.AddWithValue("keys", NpgsqlDbType.Array | NpgsqlDbType.Text, poison.Select(p => Text(p.Message.Key)).ToArray());
        dead.Parameters.AddWithValue("payloads", NpgsqlDbType.Array | NpgsqlDbType.Text, poison.Select(p => Text(p.Message.Value)).ToArray());
        dead.Parameters.AddWithValue("errors", poison.Select(p => p.Error).ToArray());
        await dead.ExecuteNonQueryAsync(cancellationToken);
        foreach (var (message, error) in poison)
        {
            logger.LogWarning("Dead-lettered {Topic}[{Partition}]@{Offset}: {Error}", message.Topic, message.Partition, message.Offset, error);
        }
    }

    private static async Task CopyAsync(NpgsqlConnection connection, CommentChange[] changes, int[][] ids, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(
            "COPY stream_batch (source_id, comment_text, labels, input_ids, deleted, source_lsn, source_commit_lsn, source_ts, op, text_unavailable, feedback) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        for (var i = 0; i < changes.Length; i++)
        {
            var change = changes[i];
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(change.SourceId, NpgsqlDbType.Uuid, cancellationToken);
            if (change.Text is { } text)
            {
                await importer.WriteAsync(text, NpgsqlDbType.Text, cancellationToken);
            }
            else
            {
                await importer.WriteNullAsync(cancellationToken);
            }

            if (change.IsDelete)
            {
                await importer.WriteNullAsync(cancellationToken);
            }
            else
            {
                await importer.WriteAsync(change.Label!.Value, NpgsqlDbType.Smallint, cancellationToken);
            }

            if (change.Text is not null)
            {
                await importer.WriteAsync(ids[i], NpgsqlDbType.Array | NpgsqlDbType.Integer, cancellationToken);
            }
            else
            {
                await importer.WriteNullAsync(cancellationToken);
            }

            await importer.WriteAsync(change.IsDelete, NpgsqlDbType.Boolean, cancellationToken);
            await importer.WriteAsync(new NpgsqlLogSequenceNumber(change.Lsn), NpgsqlDbType.PgLsn, cancellationToken);
            await importer.WriteAsync(new NpgsqlLogSequenceNumber(change.CommitLsn), NpgsqlDbType.PgLsn, cancellationToken);
            await importer.WriteAsync(change.CommittedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await importer.WriteAsync(change.Op.ToString(), NpgsqlDbType.Char, cancellationToken);
            await importer.WriteAsync(change.TextUnavailable, NpgsqlDbType.Boolean, cancellationToken);
            await importer.WriteAsync(change.Feedback, NpgsqlDbType.Boolean, cancellationToken);
        }

        await importer.CompleteAsync(cancellationToken);
    }

    // Dead letters keep the raw bytes as text; invalid UTF-8 becomes U+FFFD, and NUL (not storable in text) too.
    private static string? Text(byte[]? bytes) =>
        bytes is null ? null : System.Text.Encoding.UTF8.GetString(bytes).Replace('\0', '\uFFFD');
}
