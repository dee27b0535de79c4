using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using ToxicFunctions.Database;
using ToxicFunctions.Training;

namespace ToxicFunctions.Pipeline;

/// <summary>
/// Keeps the encoder view's features per comment in <c>ml.comment_encodings</c>, keyed by the encoder configuration
/// and the SHA-256 of the comment text: a comment is encoded once (when it is staged, or by the first training run that
/// meets it) and every later training run only reads it. Writers of one encoder configuration take turns (a PostgreSQL
/// advisory lock held while they encode), and each encodes only what is still missing once it has the lock: the
/// encoding timer and a training run never encode the same comments twice. Encoding uses at most
/// <see cref="PipelineOptions.EncoderThreadLimit"/> threads.
/// </summary>
public sealed class CommentEncodingStore(NpgsqlDataSource dataSource, IOptions<PipelineOptions> options)
{
    private const int WriteBatch = 500;

    // Per encoder configuration: the staging signature at which a search found nothing missing.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _settled = new(StringComparer.Ordinal);

    /// <summary>The key of an encoder configuration: everything that changes the features.</summary>
    public static string EncoderKey(FeatureSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return $"{MiniLmModel.Name}:layers={settings.EncoderLayers}:max_tokens={settings.EncoderMaxTokens}:pool=mean,max,min";
    }

    /// <summary>
    /// The features of each comment (its text and staged input ids), in order: kept ones are read, the others are
    /// computed with <see cref="CommentEncoder"/> and kept.
    /// </summary>
    public async Task<CommentEncodings> GetOrComputeAsync(
        FeatureSettings settings, IReadOnlyList<(string Text, int[] InputIds)> comments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(comments);
        if (!settings.UsesEncoder)
        {
            throw new ArgumentException("These feature settings have no encoder view.", nameof(settings));
        }

        var encoder = EncoderKey(settings);
        var keys = comments.Select(c => SHA256.HashData(Encoding.UTF8.GetBytes(c.Text))).ToArray();
        var names = keys.Select(Convert.ToHexString).ToArray();
        var known = await ReadAsync(encoder, keys, cancellationToken);
        var kept = names.Distinct(StringComparer.Ordinal).Count(known.ContainsKey);

        // Each distinct missing text once.
        var missing = Enumerable.Range(0, comments.Count).Where(i => !known.ContainsKey(names[i])).DistinctBy(i => names[i]).ToArray();
        var computedCount = 0;
        if (missing.Length > 0)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var turn = await AdvisoryLock.ForSessionAsync(connection, encoder, cancellationToken);

            // Another writer may have kept some of them while this one waited for its turn.
            foreach (var (name, features) in await ReadAsync(encoder, missing.Select(i => keys[i]).ToArray(), cancellationToken))
            {
                known[name] = features;
            }

            missing = missing.Where(i => !known.ContainsKey(names[i])).ToArray();
            if (missing.Length > 0)
            {
                using var model = new CommentEncoder(settings.EncoderLayers, settings.EncoderMaxTokens, options.Value.EncoderThreadLimit);
                var computed = model.Encode(missing.Select(i => CommentFeaturizer.ContentIds(comments[i].InputIds)).ToArray(), cancellationToken);
                await WriteAsync(connection, encoder, missing.Select(i => keys[i]).ToArray(), computed, cancellationToken);
                for (var k = 0; k < missing.Length; k++)
                {
                    known[names[missing[k]]] = computed[k];
                }
            }

            computedCount = missing.Length;
            kept = names.Distinct(StringComparer.Ordinal).Count() - computedCount;
        }

        return new CommentEncodings(names.Select(n => known[n]).ToArray(), Kept: kept, Computed: computedCount);
    }

    /// <summary>
    /// Encodes up to <paramref name="limit"/> live staged comments that have no kept features yet; returns how many were
    /// selected (copies of one text count each; 0 when none is missing). The search stops at the first
    /// <paramref name="limit"/> missing comments instead of hashing every staged text; and when the previous search found
    /// nothing and staging has not changed since (PostgreSQL's table statistics), none is made.
    /// </summary>
    public async Task<int> EncodeStagedAsync(FeatureSettings settings, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var encoder = EncoderKey(settings);
        var signature = await StagingSignatureAsync(cancellationToken);
        if (_settled.TryGetValue(encoder, out var settled) && settled == signature)
        {
            return 0;
        }

        var comments = new List<(string Text, int[] InputIds)>();
        await using (var command = dataSource.CreateCommand(
            """
            SELECT s.comment_text, s.input_ids
            FROM staging.all_comments s
            WHERE NOT EXISTS (SELECT 1 FROM ml.comment_encodings e WHERE e.encoder = $1 AND e.text_sha256 = sha256(convert_to(s.comment_text, 'UTF8')))
            LIMIT $2
            """))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = encoder });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                comments.Add((reader.GetString(0), reader.GetFieldValue<int[]>(1)));
            }
        }

        if (comments.Count > 0)
        {
            _settled.TryRemove(encoder, out _);
            await GetOrComputeAsync(settings, comments, cancellationToken);
        }
        else
        {
            _settled[encoder] = signature;
        }

        return comments.Count;
    }

    /// <summary>
    /// Counts live staged comments that have no kept features for <paramref name="settings"/> yet, the encoding timer's
    /// backlog, up to <paramref name="cap"/> (returns <paramref name="cap"/> when at least that many are missing: the count
    /// hashes every staged text it passes). Answers 0 without a search when the last search found none and staging has
    /// not changed since.
    /// </summary>
    public async Task<long> CountBacklogAsync(FeatureSettings settings, int cap, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(cap, 1);
        var encoder = EncoderKey(settings);
        if (_settled.TryGetValue(encoder, out var settled) && settled == await StagingSignatureAsync(cancellationToken))
        {
            return 0;
        }

        await using var command = dataSource.CreateCommand(
            """
            SELECT count(*) FROM (
                SELECT 1
                FROM staging.all_comments s
                WHERE NOT EXISTS (SELECT 1 FROM ml.comment_encodings e WHERE e.encoder = $1 AND e.text_sha256 = sha256(convert_to(s.comment_text, 'UTF8')))
                LIMIT $2) missing
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = encoder });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = cap });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    // Rows written to staging, and encodings removed, so far: unchanged means nothing new can be missing.
    private async Task<long> StagingSignatureAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT coalesce(sum(CASE WHEN schemaname = 'ml' THEN n_tup_del ELSE n_tup_ins + n_tup_upd + n_tup_del END), 0)::bigint
            FROM pg_stat_user_tables
            WHERE (schemaname = 'staging' AND relname IN ('comments', 'loads', 'stream_comments')) OR (schemaname = 'ml' AND relname = 'comment_encodings')
            """);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<Dictionary<string, float[]>> ReadAsync(string encoder, byte[][] keys, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        await using var command = dataSource.CreateCommand(
            "SELECT text_sha256, features FROM ml.comment_encodings WHERE encoder = $1 AND text_sha256 = ANY($2)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = encoder });
        command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = keys, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var features = reader.GetFieldValue<float[]>(1);
            if (features.Length == EncoderGraph.Dimension)
            {
                result[Convert.ToHexString(reader.GetFieldValue<byte[]>(0))] = features;
            }
        }

        return result;
    }

    private static async Task WriteAsync(
        NpgsqlConnection connection, string encoder, byte[][] keys, float[][] features, CancellationToken cancellationToken)
    {
        for (var start = 0; start < keys.Length; start += WriteBatch)
        {
            await using var batch = new NpgsqlBatch(connection);
            for (var i = start; i < Math.Min(keys.Length, start + WriteBatch); i++)
            {
                var insert = new NpgsqlBatchCommand(
                    "INSERT INTO ml.comment_encodings (encoder, text_sha256, features) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING");
                insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = encoder });
                insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = keys[i] });
                insert.Parameters.Add(new NpgsqlParameter<float[]> { TypedValue = features[i] });
                batch.BatchCommands.Add(insert);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
