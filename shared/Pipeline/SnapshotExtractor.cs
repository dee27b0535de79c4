using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;
using ToxicFunctions.Training;

namespace ToxicFunctions.Pipeline;

/// <summary>
/// Extracts the training set from <c>production.comments</c> into a content-addressed snapshot (what DVC did): the rows
/// in comment_id order as JSON lines, each with its part of a seeded stratified test split, stored under
/// <c>snapshots/SHA256/</c> with a manifest and recorded in <c>ml.snapshots</c>. The same rows and split give the same
/// bytes and so the same hash, and a stored snapshot is not written again.
/// </summary>
public sealed class SnapshotExtractor(NpgsqlDataSource dataSource, IArtifactStore store, TimeProvider time)
{
    /// <summary>The query that reads production.</summary>
    public const string SourceQuery = "SELECT comment_id, comment_text, labels, input_ids, feedback FROM production.comments ORDER BY comment_id";

    /// <summary>Extracts production into a snapshot with the given split.</summary>
    /// <exception cref="InvalidOperationException">Production holds too few comments of a class to split.</exception>
    public async Task<SnapshotInfo> ExtractAsync(int seed, double testFraction, CancellationToken cancellationToken)
    {
        var rows = new List<(Guid Id, string Text, byte Label, int[] Ids, bool Feedback)>();
        await using (var command = dataSource.CreateCommand(SourceQuery))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetGuid(0), reader.GetString(1), (byte)reader.GetInt16(2), reader.GetFieldValue<int[]>(3), reader.GetBoolean(4)));
            }
        }

        var labels = rows.Select(r => r.Label).ToArray();
        var positives = labels.Count(l => l == 1);
        if (positives < 2 || labels.Length - positives < 2)
        {
            throw new InvalidOperationException(
                $"production.comments holds {labels.Length} comments, {positives} toxic: a snapshot needs at least two of each class.");
        }

        var (_, test) = StratifiedSplit.Holdout(labels, testFraction, seed, rows.Select(r => r.Text).ToArray());
        var isTest = new bool[rows.Count];
        foreach (var row in test)
        {
            isTest[row] = true;
        }

        var feedbackRows = rows.Count(r => r.Feedback);
        var temp = Path.GetTempFileName();
        try
        {
            string sha256;
            await using (var file = File.Create(temp))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                for (var i = 0; i < rows.Count; i++)
                {
                    var line = JsonSerializer.SerializeToUtf8Bytes(
                        new SnapshotRow(rows[i].Id, rows[i].Text, rows[i].Label, rows[i].Ids, isTest[i] ? SnapshotRow.Test : SnapshotRow.Train, rows[i].Feedback),
                        PipelineJson.Options);
                    hash.AppendData(line);
                    hash.AppendData("\n"u8);
                    await file.WriteAsync(line, cancellationToken);
                    file.WriteByte((byte)'\n');
                }

                sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            }

            var dataKey = SnapshotKeys.Data(sha256);
            var manifestKey = SnapshotKeys.Manifest(sha256);
            var written = false;
            if (!await store.ExistsAsync(manifestKey, cancellationToken))
            {
                var manifest = new SnapshotManifest
                {
                    Sha256 = sha256,
                    DataUri = store.Uri(dataKey),
                    RowCount = rows.Count,
                    FeedbackRows = feedbackRows,
                    LabelCounts = new SortedDictionary<string, int>(StringComparer.Ordinal)
                    {
                        ["0"] = labels.Length - positives,
                        ["1"] = positives,
                    },
                    Split = new SnapshotSplit(
                        "stratified hold-out (StratifiedSplit.Holdout) over rows in file order", seed, testFraction,
                        rows.Count - test.Length, test.Length, test.Count(i => labels[i] == 1)),
                    SourceQuery = SourceQuery,
                    CreatedAt = time.GetUtcNow(),
                };

                // Data first, manifest last: a manifest means the snapshot is complete.
                await store.PutFileAsync(dataKey, temp, "application/x-ndjson", cancellationToken);
                var manifestFile = temp + ".manifest";
                await File.WriteAllBytesAsync(manifestFile, JsonSerializer.SerializeToUtf8Bytes(manifest, PipelineJson.Options), cancellationToken);
                try
                {
                    await store.PutFileAsync(manifestKey, manifestFile, "application/json", cancellationToken);
                }
                finally
                {
                    File.Delete(manifestFile);
                }

                await RecordAsync(manifest, store.Uri(manifestKey), cancellationToken);
                written = true;
            }
            else
            {
                var manifest = await ReadManifestAsync(sha256, cancellationToken);
                await RecordAsync(manifest, store.Uri(manifestKey), cancellationToken);
            }

            return new SnapshotInfo(sha256, store.Uri(dataKey), store.Uri(manifestKey), rows.Count, test.Length, written, feedbackRows);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Reads a stored snapshot's manifest.</summary>
    public async Task<SnapshotManifest> ReadManifestAsync(string sha256, CancellationToken cancellationToken)
    {
        var temp = Path.GetTempFileName();
        try
        {
            await store.GetFileAsync(SnapshotKeys.Manifest(sha256), temp, cancellationToken);
            await using var file = File.OpenRead(temp);
            return await JsonSerializer.DeserializeAsync<SnapshotManifest>(file, PipelineJson.Options, cancellationToken)
                ?? throw new InvalidDataException($"The manifest of snapshot {sha256} is empty.");
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Reads a stored snapshot's rows, in file order.</summary>
    public async Task<IReadOnlyList<SnapshotRow>> ReadRowsAsync(string sha256, CancellationToken cancellationToken)
    {
        var temp = Path.GetTempFileName();
        try
        {
            await store.GetFileAsync(SnapshotKeys.Data(sha256), temp, cancellationToken);
            var rows = new List<SnapshotRow>();
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await foreach (var line in File.ReadLinesAsync(temp, cancellationToken))
            {
                hash.AppendData(System.Text.Encoding.UTF8.GetBytes(line + "\n"));
                rows.Add(JsonSerializer.Deserialize<SnapshotRow>(line, PipelineJson.Options)
                    ?? throw new InvalidDataException($"Snapshot {sha256} has an empty line."));
            }

            var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            return actual == sha256 ? rows : throw new InvalidDataException($"Snapshot {sha256} is corrupt: its data hashes to {actual}.");
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private async Task RecordAsync(SnapshotManifest manifest, string manifestUri, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO ml.snapshots (sha256, data_uri, manifest_uri, row_count, manifest) VALUES ($1, $2, $3, $4, $5::jsonb)
            ON CONFLICT (sha256) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = manifest.Sha256 });
        command.Parameters.Add(new NpgsqlParameter { Value = manifest.DataUri });
        command.Parameters.Add(new NpgsqlParameter { Value = manifestUri });
        command.Parameters.Add(new NpgsqlParameter { Value = manifest.RowCount });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(manifest, PipelineJson.Options) });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
