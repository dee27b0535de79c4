using System.Text.Json;

namespace ToxicFunctions.Lake;

/// <summary>
/// Delta's DESCRIBE HISTORY: one <see cref="DeltaVersionInfo"/> per commit still in the log, newest first, read from
/// the commit files (their <c>commitInfo</c>, and the <c>add</c> and <c>remove</c> actions counted). Commits that log
/// clean-up deleted are not listed.
/// </summary>
public sealed class DeltaHistory(DeltaTable table)
{
    /// <summary>The newest <paramref name="limit"/> versions (all when null), newest first.</summary>
    /// <exception cref="InvalidDataException">There is no table at the location, or a commit is malformed.</exception>
    public async Task<IReadOnlyList<DeltaVersionInfo>> ListAsync(int? limit, CancellationToken cancellationToken)
    {
        var commits = (await table.Store.ListObjectsAsync(DeltaLog.FolderKey(table.Root), cancellationToken))
            .Select(o => (Object: o, Version: DeltaLog.CommitVersion(o.Key)))
            .Where(c => c.Version is not null)
            .OrderByDescending(c => c.Version)
            .Take(limit ?? int.MaxValue)
            .ToList();
        if (commits.Count == 0)
        {
            throw table.NotATable();
        }

        var history = new List<DeltaVersionInfo>(commits.Count);
        foreach (var (stored, version) in commits)
        {
            var actions = DeltaLog.Parse(await table.Store.GetTextAsync(stored.Key, cancellationToken), table.Store.Uri(stored.Key));
            var info = actions.Select(a => a.CommitInfo).OfType<DeltaCommitInfo>().FirstOrDefault();
            var adds = actions.Select(a => a.Add).OfType<DeltaAddFile>().ToList();
            history.Add(new DeltaVersionInfo(
                version!.Value,
                info is null ? stored.LastModified : DateTimeOffset.FromUnixTimeMilliseconds(info.Timestamp),
                info?.Operation ?? (actions.Any(a => a.MetaData is not null) ? "CREATE TABLE" : "WRITE"),
                info?.OperationParameters ?? new Dictionary<string, string>(),
                adds.Count,
                actions.Count(a => a.Remove is not null),
                adds.Sum(a => NumRecords(a.Stats) ?? 0),
                adds.Sum(a => a.Size)));
        }

        return history;
    }

    private static long? NumRecords(string? stats)
    {
        if (stats is not { Length: > 0 })
        {
            return null;
        }

        using var document = JsonDocument.Parse(stats);
        return document.RootElement.TryGetProperty("numRecords", out var n) && n.TryGetInt64(out var value) ? value : null;
    }
}
