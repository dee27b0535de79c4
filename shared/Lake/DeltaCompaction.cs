using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ParquetSharp;

namespace ToxicFunctions.Lake;

/// <summary>
/// Bin-packing compaction, Delta's OPTIMIZE: the live data files smaller than the target size are grouped in the order
/// they were added into bins of about the target size, and each bin of two or more files is rewritten as one file. All
/// bins go into one commit of <c>remove</c> and <c>add</c> actions with <c>dataChange: false</c>, so the table's rows
/// stay the same and readers of streaming changes skip it. The removed files stay in storage until
/// <see cref="DeltaVacuum"/> deletes them. Appends that commit meanwhile do not conflict; a concurrent compaction or
/// delete of one of the same files does (<see cref="InvalidOperationException"/>, nothing committed).
/// </summary>
/// <remarks>Copies flat schemas of any column types (<see cref="ParquetRowCopier"/>); the new files' statistics are
/// merged from the inputs' (numRecords and nullCount summed, minValues and maxValues the least and greatest).</remarks>
public sealed class DeltaCompaction(DeltaTable table, TimeProvider time)
{
    /// <summary>The default target size of a compacted file: 128 MiB.</summary>
    public const long DefaultTargetFileBytes = 128L << 20;

    /// <summary>Compacts the table's small files into files of about <paramref name="targetFileBytes"/>.</summary>
    /// <returns>What was rewritten; <see cref="CompactionResult.Version"/> is null when no bin had two files.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="targetFileBytes"/> is not positive.</exception>
    /// <exception cref="InvalidDataException">There is no table at the location.</exception>
    /// <exception cref="NotSupportedException">A data file is named by an absolute URI, or has a nested schema.</exception>
    /// <exception cref="InvalidOperationException">Another writer removed one of the files meanwhile.</exception>
    public async Task<CompactionResult> CompactAsync(long targetFileBytes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetFileBytes);
        var snapshot = await table.LoadExistingAsync(cancellationToken);
        if (snapshot.Metadata!.PartitionColumns.Count > 0)
        {
            throw new NotSupportedException($"{table.Uri} is partitioned by {string.Join(", ", snapshot.Metadata.PartitionColumns)}; only unpartitioned tables are compacted.");
        }

        var bins = new List<List<DeltaAddFile>>();
        var bin = new List<DeltaAddFile>();
        long binBytes = 0;
        foreach (var file in snapshot.Files.Values.Where(f => f.Size < targetFileBytes).OrderBy(f => f.ModificationTime).ThenBy(f => f.Path, StringComparer.Ordinal))
        {
            if (file.Path.Contains("://", StringComparison.Ordinal))
            {
                throw new NotSupportedException($"{table.Uri} names the data file {file.Path} by an absolute URI; only paths relative to the table are compacted.");
            }

            bin.Add(file);
            binBytes += file.Size;
            if (binBytes >= targetFileBytes)
            {
                bins.Add(bin);
                bin = [];
                binBytes = 0;
            }
        }

        bins.Add(bin);
        bins.RemoveAll(b => b.Count < 2);
        if (bins.Count == 0)
        {
            return new CompactionResult(null, 0, 0, 0, 0, 0);
        }

        var actions = new List<DeltaAction>();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        long rows = 0;
        foreach (var inputs in bins)
        {
            var (add, binRows) = await RewriteAsync(inputs, now, cancellationToken);
            rows += binRows;
            actions.AddRange(inputs.Select(f => new DeltaAction
            {
                Remove = new DeltaRemoveFile(f.Path, now, DataChange: false, ExtendedFileMetadata: true, f.PartitionValues, f.Size),
            }));
            actions.Add(new DeltaAction { Add = add });
        }

        var removed = bins.SelectMany(b => b).ToList();
        actions.Insert(0, new DeltaAction
        {
            CommitInfo = new DeltaCommitInfo(
                now, "OPTIMIZE",
                new Dictionary<string, string>
                {
                    ["predicate"] = "[]",
                    ["targetSize"] = targetFileBytes.ToString(CultureInfo.InvariantCulture),
                    ["numRemovedFiles"] = removed.Count.ToString(CultureInfo.InvariantCulture),
                    ["numAddedFiles"] = bins.Count.ToString(CultureInfo.InvariantCulture),
                },
                "toxicfunctions", IsBlindAppend: false),
        });

        var version = await table.CommitAsync(
            latest =>
            {
                var gone = removed.FirstOrDefault(f => latest?.Files.ContainsKey(f.Path) != true);
                return gone is null
                    ? actions
                    : throw new InvalidOperationException(
                        $"Another writer removed {gone.Path} from {table.Uri} while it was compacted; nothing was committed (the rewritten files are left for vacuum).");
            },
            cancellationToken);
        return new CompactionResult(version, removed.Count, bins.Count, rows, removed.Sum(f => f.Size), actions.Where(a => a.Add is not null).Sum(a => a.Add!.Size));
    }

    private async Task<(DeltaAddFile Add, long Rows)> RewriteAsync(List<DeltaAddFile> inputs, long now, CancellationToken cancellationToken)
    {
        var name = DataFileFormat.FileName(Guid.NewGuid(), 0);
        var output = Path.Combine(Path.GetTempPath(), $"toxic-compact-{name}");
        var input = Path.Combine(Path.GetTempPath(), $"toxic-compact-in-{Guid.NewGuid():N}.parquet");
        try
        {
            long rows;
            using (var copier = new ParquetRowCopier(output))
            {
                foreach (var file in inputs)
                {
                    await table.Store.GetFileAsync(table.DataKey(file.Path), input, cancellationToken);
                    copier.Append(input);
                    File.Delete(input);
                }

                copier.Complete();
                rows = copier.Rows;
            }

            var size = new FileInfo(output).Length;
            await table.Store.PutFileAsync(table.Root + name, output, DataFileFormat.ContentType, cancellationToken);
            var add = new DeltaAddFile(Uri.EscapeDataString(name), new Dictionary<string, string>(), size, now, DataChange: false, MergeStats(inputs, rows));
            return (add, rows);
        }
        catch (ParquetException e)
        {
            throw new InvalidDataException($"A data file of {table.Uri} is not readable Parquet: {e.Message}", e);
        }
        finally
        {
            File.Delete(input);
            File.Delete(output);
        }
    }

    /// <summary>
    /// The statistics of the concatenation of <paramref name="inputs"/>: numRecords is the row count written; a column's
    /// nullCount, minValues and maxValues are given only when every input gives them.
    /// </summary>
    internal static string MergeStats(IReadOnlyList<DeltaAddFile> inputs, long rows)
    {
        var stats = inputs.Select(f => f.Stats is { Length: > 0 } s ? JsonNode.Parse(s) as JsonObject : null).ToList();
        var merged = new JsonObject { ["numRecords"] = rows };
        if (stats.Any(s => s is null))
        {
            return merged.ToJsonString();
        }

        merged["minValues"] = Merge(stats.Select(s => s!["minValues"] as JsonObject), (a, b) => Compare(a, b) <= 0 ? a : b);
        merged["maxValues"] = Merge(stats.Select(s => s!["maxValues"] as JsonObject), (a, b) => Compare(a, b) >= 0 ? a : b);
        merged["nullCount"] = Merge(
            stats.Select(s => s!["nullCount"] as JsonObject),
            (a, b) => a.GetValueKind() == JsonValueKind.Number && b.GetValueKind() == JsonValueKind.Number ? JsonValue.Create(a.GetValue<long>() + b.GetValue<long>()) : null);
        return merged.ToJsonString();
    }

    private static JsonObject Merge(IEnumerable<JsonObject?> objects, Func<JsonNode, JsonNode, JsonNode?> combine)
    {
        var list = objects.ToList();
        var result = new JsonObject();
        if (list.Any(o => o is null))
        {
            return result;
        }

        foreach (var (column, first) in list[0]!)
        {
            JsonNode? value = first;
            foreach (var other in list.Skip(1))
            {
                value = value is not null && other!.TryGetPropertyValue(column, out var next) && next is not null
                    && next.GetValueKind() == value.GetValueKind() && value.GetValueKind() is JsonValueKind.Number or JsonValueKind.String
                    ? combine(value, next)
                    : null;
            }

            if (value is not null)
            {
                result[column] = value.DeepClone();
            }
        }

        return result;
    }

    // Numbers by value; strings ordinally, except timestamps (written with differing precision), which compare in time.
    private static int Compare(JsonNode a, JsonNode b)
    {
        if (a.GetValueKind() == JsonValueKind.Number)
        {
            return decimal.Parse(a.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
                .CompareTo(decimal.Parse(b.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        var (x, y) = (a.GetValue<string>(), b.GetValue<string>());
        return x.Contains('T', StringComparison.Ordinal) && y.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(x, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var tx)
            && DateTimeOffset.TryParse(y, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var ty)
            ? tx.CompareTo(ty)
            : string.CompareOrdinal(x, y);
    }
}
