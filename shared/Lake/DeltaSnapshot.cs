namespace ToxicFunctions.Lake;

/// <summary>
/// A Delta table as of one version: its protocol, metadata, live data files, tombstones and application transaction
/// versions, reconciled from the log in order (a later add of a path replaces an earlier one, a remove drops it).
/// </summary>
public sealed class DeltaSnapshot
{
    private readonly Dictionary<string, DeltaAddFile> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DeltaRemoveFile> _tombstones = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _transactions = new(StringComparer.Ordinal);

    /// <summary>The version the snapshot is at (-1 before commit 0 is applied).</summary>
    public long Version { get; private set; } = -1;

    /// <summary>The table's protocol (null until a commit sets it, which version 0 must).</summary>
    public DeltaProtocol? Protocol { get; private set; }

    /// <summary>The table's metadata (null until a commit sets it, which version 0 must).</summary>
    public DeltaMetadata? Metadata { get; private set; }

    /// <summary>The live data files, by path.</summary>
    public IReadOnlyDictionary<string, DeltaAddFile> Files => _files;

    /// <summary>Files removed and not yet vacuumed, by path.</summary>
    public IReadOnlyDictionary<string, DeltaRemoveFile> Tombstones => _tombstones;

    /// <summary>The latest transaction version of each application (<c>txn</c> actions).</summary>
    public IReadOnlyDictionary<string, long> Transactions => _transactions;

    /// <summary>The table at <paramref name="version"/> from the actions of its checkpoint (<see cref="DeltaCheckpoint"/>).</summary>
    /// <exception cref="InvalidDataException">The checkpoint lacks protocol or metadata.</exception>
    /// <exception cref="NotSupportedException">The table needs a newer reader.</exception>
    public static DeltaSnapshot FromCheckpoint(long version, IReadOnlyList<DeltaAction> actions)
    {
        var snapshot = new DeltaSnapshot { Version = version - 1 };
        snapshot.Apply(version, actions);
        return snapshot;
    }

    /// <summary>A copy that further commits can be applied to without changing this one.</summary>
    public DeltaSnapshot Clone()
    {
        var copy = new DeltaSnapshot { Version = Version, Protocol = Protocol, Metadata = Metadata };
        foreach (var (path, add) in _files)
        {
            copy._files[path] = add;
        }

        foreach (var (path, remove) in _tombstones)
        {
            copy._tombstones[path] = remove;
        }

        foreach (var (app, version) in _transactions)
        {
            copy._transactions[app] = version;
        }

        return copy;
    }

    /// <summary>Applies commit <paramref name="version"/>, which must be the next one.</summary>
    /// <exception cref="InvalidDataException">A version is skipped, or commit 0 lacks protocol or metadata.</exception>
    /// <exception cref="NotSupportedException">The table needs a reader this one is not (reader version above 1: column mapping, deletion vectors, ...).</exception>
    public void Apply(long version, IReadOnlyList<DeltaAction> actions)
    {
        if (version != Version + 1)
        {
            throw new InvalidDataException($"The Delta log skips from version {Version} to {version}.");
        }

        foreach (var action in actions)
        {
            if (action.Protocol is { } protocol)
            {
                if (protocol.MinReaderVersion > 1)
                {
                    throw new NotSupportedException(
                        $"The table needs Delta reader version {protocol.MinReaderVersion} (table features such as column mapping or deletion vectors); this reader is version 1.");
                }

                Protocol = protocol;
            }
            else if (action.MetaData is { } metadata)
            {
                Metadata = metadata;
            }
            else if (action.Add is { } add)
            {
                _files[add.Path] = add;
                _tombstones.Remove(add.Path);
            }
            else if (action.Remove is { } remove)
            {
                _files.Remove(remove.Path);
                _tombstones[remove.Path] = remove;
            }
            else if (action.Txn is { } txn)
            {
                _transactions[txn.AppId] = txn.Version;
            }
        }

        if (Protocol is null || Metadata is null)
        {
            throw new InvalidDataException($"Delta commit {version} leaves the table without {(Protocol is null ? "a protocol" : "metadata")} action.");
        }

        Version = version;
    }
}
