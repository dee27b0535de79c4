using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ToxicFunctions.Pipeline;

namespace ToxicFunctions.Lake;

/// <summary>
/// A Delta Lake table under a key prefix of an object store (<see cref="IArtifactStore"/>: S3 or Azure Blob): reads
/// its log into a <see cref="DeltaSnapshot"/> and commits new versions. A commit is created with a put-if-absent, so of
/// two writers racing for version N exactly one wins; the other re-reads the log and commits N + 1 (optimistic
/// concurrency as the Delta protocol requires: a writer must never overwrite a log entry). After every
/// <see cref="DeltaCheckpoint.Interval"/>-th commit the writer also writes a checkpoint, and a reader starts from the
/// newest checkpoint at or below the version it wants, so it does not replay the whole log (whose early commits may
/// even have been cleaned up).
/// </summary>
public sealed class DeltaTable
{
    /// <summary>How often a writer retries after losing the race for a version before it gives up.</summary>
    public const int MaxCommitAttempts = 50;

    private readonly Lock _cacheLock = new();
    private readonly ILogger _logger;
    private DeltaSnapshot? _cached;

    /// <summary>The table at <paramref name="root"/> (a key prefix; '/' is appended when missing) of <paramref name="store"/>.</summary>
    /// <param name="store">The object store.</param>
    /// <param name="root">The table's key prefix.</param>
    /// <param name="logger">Where a checkpoint that could not be written or read is reported (the commit or load goes on without it).</param>
    public DeltaTable(IArtifactStore store, string root, ILogger? logger = null)
    {
        Store = store;
        Root = root.Length == 0 || root.EndsWith('/') ? root : root + "/";
        _logger = logger ?? NullLogger.Instance;
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
        var keys = await Store.ListAsync(DeltaLog.FolderKey(Root), cancellationToken);
        var commits = keys.Select(DeltaLog.CommitVersion).OfType<long>().ToHashSet();
        var checkpoints = keys.Select(DeltaCheckpoint.Version).OfType<long>().ToList();
        if (commits.Count == 0 && checkpoints.Count == 0)
        {
            return null;
        }

        var latest = commits.Concat(checkpoints).Max();
        var target = version ?? latest;
        if (target < 0 || target > latest)
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, $"The table {Uri} has versions up to {latest}.");
        }

        // Start from the cached snapshot when the commits after it are all there; else from the newest readable
        // checkpoint at or below the target (or a newer one than the cache); else from version 0.
        DeltaSnapshot? start;
        lock (_cacheLock)
        {
            start = _cached is { } cached && cached.Version <= target ? cached.Clone() : null;
        }

        var replayable = start is not null && LongRange(start.Version + 1, target).All(commits.Contains);
        foreach (var checkpoint in checkpoints.Where(c => c <= target && c > (start?.Version ?? -1) && !replayable).OrderDescending())
        {
            if (await TryReadCheckpointAsync(checkpoint, commits.Contains(0), cancellationToken) is { } read)
            {
                start = read;
                break;
            }
        }

        var snapshot = start ?? new DeltaSnapshot();
        for (var v = snapshot.Version + 1; v <= target; v++)
        {
            var key = DeltaLog.CommitKey(Root, v);
            string content;
            try
            {
                content = commits.Contains(v) ? await Store.GetTextAsync(key, cancellationToken) : throw new FileNotFoundException(key);
            }
            catch (FileNotFoundException e)
            {
                throw new InvalidDataException($"The Delta log of {Uri} has no commit {v} (up to {latest}) and no checkpoint after it.", e);
            }

            snapshot.Apply(v, DeltaLog.Parse(content, Store.Uri(key)));
        }

        Remember(snapshot);
        return snapshot;
    }

    /// <summary>The latest version of the table.</summary>
    /// <exception cref="InvalidDataException">There is no table at the location (no commit), or its log is not valid.</exception>
    public async Task<DeltaSnapshot> LoadExistingAsync(CancellationToken cancellationToken) =>
        await LoadAsync(null, cancellationToken) ?? throw NotATable();

    /// <summary>The error for a location that holds no Delta table.</summary>
    public InvalidDataException NotATable() => new($"{Uri} is not a Delta table: there is no commit under {DeltaLog.Folder}.");

    /// <summary>The table at checkpoint <paramref name="version"/>; null (reported) when it cannot be read and the log can be replayed without it.</summary>
    private async Task<DeltaSnapshot?> TryReadCheckpointAsync(long version, bool canReplay, CancellationToken cancellationToken)
    {
        var key = DeltaCheckpoint.Key(Root, version);
        var local = Path.Combine(Path.GetTempPath(), $"toxic-checkpoint-{Guid.NewGuid():N}.parquet");
        try
        {
            await Store.GetFileAsync(key, local, cancellationToken);
            return DeltaSnapshot.FromCheckpoint(version, DeltaCheckpointReader.Read(local));
        }
        catch (Exception e) when (canReplay && e is InvalidDataException or FileNotFoundException)
        {
            _logger.LogWarning(e, "The checkpoint {Checkpoint} cannot be read ({Reason}); the log is read without it", Store.Uri(key), e.Message);
            return null;
        }
        finally
        {
            File.Delete(local);
        }
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
                    if (version % DeltaCheckpoint.Interval == 0)
                    {
                        await WriteCheckpointAsync(committed, cancellationToken);
                    }
                }

                return version;
            }
        }

        throw new IOException($"Could not commit to {Uri}: other writers took the next version {MaxCommitAttempts} times in a row.");
    }

    /// <summary>
    /// Writes the checkpoint of <paramref name="snapshot"/> and points <c>_last_checkpoint</c> at it. The commit has
    /// landed already, so a failure is reported and not thrown: readers then replay the log from an older checkpoint.
    /// </summary>
    private async Task WriteCheckpointAsync(DeltaSnapshot snapshot, CancellationToken cancellationToken)
    {
        var key = DeltaCheckpoint.Key(Root, snapshot.Version);
        var local = Path.Combine(Path.GetTempPath(), $"toxic-checkpoint-{Guid.NewGuid():N}.parquet");
        try
        {
            var last = DeltaCheckpointWriter.Write(snapshot, local);
            await Store.PutFileAsync(key, local, DataFileFormat.ContentType, cancellationToken);
            await Store.PutTextAsync(DeltaCheckpoint.LastCheckpointKey(Root), JsonSerializer.Serialize(last), "application/json", cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning(e, "Version {Version} of {Table} is committed but its checkpoint {Checkpoint} could not be written: {Reason}", snapshot.Version, Uri, Store.Uri(key), e.Message);
        }
        finally
        {
            File.Delete(local);
        }
    }

    private static IEnumerable<long> LongRange(long from, long to)
    {
        for (var v = from; v <= to; v++)
        {
            yield return v;
        }
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
