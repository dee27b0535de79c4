namespace ToxicFunctions.Lake;

/// <summary>
/// Delta's VACUUM: deletes the data files under the table's root that no version within the retention references. A
/// file is kept when it is live in the latest version, or was removed (a <c>remove</c> tombstone) less than the
/// retention ago, so readers of any version committed within the retention still find every file. A file no version
/// references at all (an upload whose commit lost a race or never happened) is deleted once it is older than the
/// retention and at least <see cref="UncommittedGrace"/>, so a writer's upload that is about to be committed is never
/// taken. The log (<c>_delta_log/</c>) and hidden paths (a segment starting with '_' or '.') are never touched.
/// </summary>
public sealed class DeltaVacuum(DeltaTable table, TimeProvider time)
{
    /// <summary>The default retention: 168 hours (7 days), as Delta's <c>deletedFileRetentionDuration</c>.</summary>
    public const double DefaultRetentionHours = 168;

    /// <summary>How old a file that no version references must be before it is deleted, whatever the retention: 1 hour.</summary>
    public static readonly TimeSpan UncommittedGrace = TimeSpan.FromHours(1);

    /// <summary>Deletes what no version within <paramref name="retention"/> references (nothing when <paramref name="dryRun"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="retention"/> is negative.</exception>
    /// <exception cref="InvalidDataException">There is no table at the location.</exception>
    public async Task<VacuumResult> VacuumAsync(TimeSpan retention, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retention, TimeSpan.Zero);
        var now = time.GetUtcNow();
        var snapshot = await table.LoadExistingAsync(cancellationToken);
        var cutoff = (now - retention).ToUnixTimeMilliseconds();
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in snapshot.Files.Keys)
        {
            referenced.Add(table.DataKey(path));
        }

        // A tombstone without a deletion time cannot be shown to be outside the retention: kept.
        foreach (var (path, remove) in snapshot.Tombstones)
        {
            if (remove.DeletionTimestamp is not { } removedAt || removedAt >= cutoff)
            {
                referenced.Add(table.DataKey(path));
            }
        }

        var known = new HashSet<string>(snapshot.Tombstones.Keys.Select(table.DataKey), StringComparer.Ordinal);
        var uncommittedCutoff = now - (retention > UncommittedGrace ? retention : UncommittedGrace);
        var deleted = new List<string>();
        long bytes = 0;
        var kept = 0;
        foreach (var file in (await table.Store.ListObjectsAsync(table.Root, cancellationToken)).OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            if (IsHidden(file.Key[table.Root.Length..]))
            {
                continue;
            }

            if (referenced.Contains(file.Key) || (!known.Contains(file.Key) && file.LastModified > uncommittedCutoff))
            {
                kept++;
                continue;
            }

            if (!dryRun)
            {
                await table.Store.DeleteAsync(file.Key, cancellationToken);
            }

            deleted.Add(file.Key);
            bytes += file.Size;
        }

        return new VacuumResult(deleted, bytes, kept, dryRun);
    }

    // Delta ignores (and vacuum keeps) paths with a segment starting with '_' or '.': the log, checkpoints' temporaries,
    // Spark's _SUCCESS markers.
    private static bool IsHidden(string relative) =>
        relative.Split('/').Any(segment => segment.StartsWith('_') || segment.StartsWith('.'));
}
