using ToxicFunctions.Pipeline;

namespace ToxicFunctions.Lake;

/// <summary>
/// A Delta Lake table under a key prefix of an object store (<see cref="IArtifactStore"/>: S3 or Azure Blob): reads
/// its log into a <see cref="DeltaSnapshot"/> and commits new versions. A commit is created with a put-if-absent, so of
/// two writers racing for version N exactly one wins; the other re-reads the log and commits N + 1 (optimistic
/// concurrency as the Delta protocol requires: a writer must never overwrite a log entry).
/// </summary>
public sealed class DeltaTable
{
    /// <summary>How often a writer retries after losing the race for a version before it gives up.</summary>
    public const int MaxCommitAttempts = 50;

    private readonly Lock _cacheLock = new();
    private DeltaSnapshot? _cached;

    /// <summary>The table at <paramref name="root"/> (a key prefix; '/' is appended when missing) of <paramref name="store"/>.</summary>
    public DeltaTable(IArtifactStore store, string root)
    {
        Store = store;
        Root = root.Length == 0 || root.EndsWith('/') ? root : root + "/";
    }

    /// <summary>The store holding the table.</summary>
    public IArtifactStore Store { get; }

    /// <summary>The table's key prefix: empty or ending in '/'.</summary>
    public string Root { get; }

    /// <summary>The table's address, e.g. <c>s3://lake/raw_comments/</c>.</summary>
    public string Uri => Store.Uri(Root);

    /// <summary>The key of a data file the log names by <paramref name="path"/> (relative, URL-encoded).</summary>
    public string DataKey(string path) => Root + System.Uri.UnescapeDataString(path);

    /// <summary>
    /// The table as of <paramref name="version"/> (the latest when null); null when the table has no commit yet.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The table has no such version yet.</exception>
    /// <exception cref="InvalidDataException">The log is not a valid Delta log (a missing version, a malformed line).</exception>
    public async Task<DeltaSnapshot?> LoadAsync(long? version, CancellationToken cancellationToken)
    {
        var versions = (await Store.ListAsync(DeltaLog.FolderKey(Root), cancellationToken))
            .Select(DeltaLog.CommitVersion).OfType<long>().ToList();
        if (versions.Count == 0)
        {
            return null;
        }

        var latest = versions.Max();
        var target = version ?? latest;
        if (target < 0 || target > latest)
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, $"The table {Uri} has versions 0 to {latest}.");
        }

        // Replay from the newest cached snapshot at or below the target, so a writer reads each commit once.
        DeltaSnapshot? start;
        lock (_cacheLock)
        {
            start = _cached is { } cached && cached.Version <= target ? cached.Clone() : null;
        }

        var snapshot = start ?? new DeltaSnapshot();
        for (var v = snapshot.Version + 1; v <= target; v++)
        {
            var key = DeltaLog.CommitKey(Root, v);
            string content;
            try
            {
                content = await Store.GetTextAsync(key, cancellationToken);
            }
            catch (FileNotFoundException e)
            {
                throw new InvalidDataException($"The Delta log of {Uri} has no commit {v} (up to {latest}).", e);
            }

            snapshot.Apply(v, DeltaLog.Parse(content, Store.Uri(key)));
        }

        Remember(snapshot);
        return snapshot;
    }

    /// <summary>
    /// Commits what <paramref name="build"/> returns for the latest snapshot (null: no table yet) as the next version.
    /// When another writer takes that version first, the log is read again and <paramref name="build"/> asked again, so
    /// it can re-check what it relies on (an application's <c>txn</c> version, the files it removes).
    /// </summary>
    /// <returns>The committed version, or null when <paramref name="build"/> returned null (nothing to commit).</returns>
    /// <exception cref="IOException">Lost the race <see cref="MaxCommitAttempts"/> times in a row.</exception>
    public async Task<long?> CommitAsync(Func<DeltaSnapshot?, IReadOnlyList<DeltaAction>?> build, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxCommitAttempts; attempt++)
        {
            var snapshot = await LoadAsync(null, cancellationToken);
            if (build(snapshot) is not { } actions)
            {
                return null;
            }

            var version = (snapshot?.Version ?? -1) + 1;
            if (await Store.TryCreateTextAsync(DeltaLog.CommitKey(Root, version), DeltaLog.Serialize(actions), DeltaLog.ContentType, cancellationToken))
            {
                if (snapshot is not null)
                {
                    var committed = snapshot.Clone();
                    committed.Apply(version, actions);
                    Remember(committed);
                }

                return version;
            }
        }

        throw new IOException($"Could not commit to {Uri}: other writers took the next version {MaxCommitAttempts} times in a row.");
    }

    private void Remember(DeltaSnapshot snapshot)
    {
        lock (_cacheLock)
        {
            if (_cached is null || snapshot.Version > _cached.Version)
            {
                _cached = snapshot.Clone();
            }
        }
    }
}
