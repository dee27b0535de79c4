using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using ToxicFunctions.Tokenization;

namespace ToxicFunctions.Streaming;

/// <summary>
/// Applies a batch of change events of source.comments to <c>staging.stream_comments</c>: creates, updates and
/// snapshot reads are tokenized and upserted, deletes leave a tombstone row, Kafka tombstones are skipped, and an event
/// that cannot be read goes to <c>staging.stream_dead_letters</c> while the rest of the batch proceeds. A row only
/// moves forward: an event whose (commit, change) WAL position is not newer than the stored one changes nothing, so
/// redelivered, repeated and out-of-order events are harmless. The whole batch commits in one transaction.
/// </summary>
public sealed class StreamChangeApplier(NpgsqlDataSource dataSource, WordPieceTokenizer tokenizer, ILogger<StreamChangeApplier> logger)
{
    private const string CreateBatchTable =
        """
        CREATE TEMP TABLE IF NOT EXISTS stream_batch (
            source_id uuid, comment_text text, labels smallint, input_ids integer[], deleted boolean,
            source_lsn pg_lsn, source_commit_lsn pg_lsn, source_ts timestamptz, op char(1)) ON COMMIT DELETE ROWS
        """;

    private const string Upsert =
        """
        INSERT INTO staging.stream_comments AS s
            (source_id, comment_text, labels, input_ids, deleted, source_lsn, source_commit_lsn, source_ts, op)
        SELECT source_id, comment_text, labels, input_ids, deleted, source_lsn, source_commit_lsn, source_ts, op FROM stream_batch
        ON CONFLICT (source_id) DO UPDATE SET
            comment_text = EXCLUDED.comment_text, labels = EXCLUDED.labels, input_ids = EXCLUDED.input_ids,
            deleted = EXCLUDED.deleted, source_lsn = EXCLUDED.source_lsn, source_commit_lsn = EXCLUDED.source_commit_lsn,
            source_ts = EXCLUDED.source_ts, op = EXCLUDED.op, updated_at = now()
        WHERE (coalesce(s.source_commit_lsn, s.source_lsn), s.source_lsn) < (EXCLUDED.source_commit_lsn, EXCLUDED.source_lsn)
        """;

    private const string DeadLetter =
        """
        INSERT INTO staging.stream_dead_letters (topic, partition, "offset", message_key, payload, error)
        SELECT * FROM unnest(@topics, @partitions, @offsets, @keys, @payloads, @errors)
        ON CONFLICT ON CONSTRAINT stream_dead_letters_position_key DO NOTHING
        """;

    /// <summary>Applies the batch; throws only when the database fails (then nothing of the batch is kept).</summary>
    public async Task<StreamBatchResult> ApplyAsync(IReadOnlyList<StreamMessage> messages, CancellationToken cancellationToken = default)
    {
        var latest = new Dictionary<Guid, CommentChange>();
        var poison = new List<(StreamMessage Message, string Error)>();
        var tombstones = 0;
        foreach (var message in messages)
        {
            try
            {
                if (CommentChangeParser.Parse(message) is not { } change)
                {
                    tombstones++;
                }
                else if (!latest.TryGetValue(change.SourceId, out var seen) || change.IsAfter(seen))
                {
                    latest[change.SourceId] = change;
                }
            }
            catch (StreamEventException e)
            {
                poison.Add((message, e.Message));
            }
        }

        var changes = latest.Values.ToArray();
        var ids = new int[changes.Length][];
        Parallel.For(0, changes.Length, i => ids[i] = changes[i].IsDelete ? [] : tokenizer.Encode(changes[i].Text!));

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var applied = 0;
        if (changes.Length > 0)
        {
            await using (var create = new NpgsqlCommand(CreateBatchTable, connection, transaction))
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }

            await CopyAsync(connection, changes, ids, cancellationToken);
            await using var upsert = new NpgsqlCommand(Upsert, connection, transaction);
            applied = await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        if (poison.Count > 0)
        {
            await using var dead = new NpgsqlCommand(DeadLetter, connection, transaction);
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

        await transaction.CommitAsync(cancellationToken);
        return new StreamBatchResult(messages.Count, applied, tombstones, poison.Count);
    }

    private static async Task CopyAsync(NpgsqlConnection connection, CommentChange[] changes, int[][] ids, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(
            "COPY stream_batch (source_id, comment_text, labels, input_ids, deleted, source_lsn, source_commit_lsn, source_ts, op) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        for (var i = 0; i < changes.Length; i++)
        {
            var change = changes[i];
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(change.SourceId, NpgsqlDbType.Uuid, cancellationToken);
            if (change.IsDelete)
            {
                await importer.WriteNullAsync(cancellationToken);
                await importer.WriteNullAsync(cancellationToken);
                await importer.WriteNullAsync(cancellationToken);
            }
            else
            {
                await importer.WriteAsync(change.Text!, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(change.Label!.Value, NpgsqlDbType.Smallint, cancellationToken);
                await importer.WriteAsync(ids[i], NpgsqlDbType.Array | NpgsqlDbType.Integer, cancellationToken);
            }

            await importer.WriteAsync(change.IsDelete, NpgsqlDbType.Boolean, cancellationToken);
            await importer.WriteAsync(new NpgsqlLogSequenceNumber(change.Lsn), NpgsqlDbType.PgLsn, cancellationToken);
            await importer.WriteAsync(new NpgsqlLogSequenceNumber(change.CommitLsn), NpgsqlDbType.PgLsn, cancellationToken);
            await importer.WriteAsync(change.CommittedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await importer.WriteAsync(change.Op.ToString(), NpgsqlDbType.Char, cancellationToken);
        }

        await importer.CompleteAsync(cancellationToken);
    }

    // Dead letters keep the raw bytes as text; invalid UTF-8 becomes U+FFFD, and NUL (not storable in text) too.
    private static string? Text(byte[]? bytes) =>
        bytes is null ? null : System.Text.Encoding.UTF8.GetString(bytes).Replace('\0', '\uFFFD');
}
