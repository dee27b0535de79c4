using Microsoft.Extensions.Options;
using ToxicFunctions.Storage;

namespace ToxicFunctions.Lake;

/// <summary>
/// The raw zone: every ingested object's accepted rows are appended to the Delta table <see cref="LakeOptions.TableUri"/>
/// as one Parquet file and one commit, whose <c>txn</c> action (application id: the object version) makes a
/// redelivered object add nothing. <see cref="Begin"/> returns null when the lake is off (an empty TableUri).
/// </summary>
public sealed class RawCommentsLake
{
    private readonly DeltaTable? _table;
    private readonly TimeProvider _time;

    /// <summary>Opens the configured table.</summary>
    /// <exception cref="FormatException">TableUri is neither an s3:// address nor a blob URL.</exception>
    public RawCommentsLake(LakeStores stores, IOptions<LakeOptions> options, TimeProvider time)
    {
        _time = time;
        if (options.Value.TableUri is { Length: > 0 } uri)
        {
            _table = stores.Open(uri);
        }
    }

    /// <summary>The table, or null when the lake is off.</summary>
    public DeltaTable? Table => _table;

    /// <summary>The application id of an object version's <c>txn</c> action.</summary>
    public static string AppId(ObjectRef source) => $"toxic-ingest:{source}";

    /// <summary>
    /// Starts the data file of <paramref name="source"/>'s rows; null when the lake is off, or when the object is one of
    /// the table's own files (ingesting the raw zone back into staging must not append it to itself again).
    /// </summary>
    public RawCommentsAppend? Begin(ObjectRef source)
    {
        if (_table is null)
        {
            return null;
        }

        var (bucket, root) = ArtifactAddress.Parse(_table.Uri);
        return source.Store == LakeStores.StoreKind(_table.Uri) && source.Container == bucket && source.Key.StartsWith(root, StringComparison.Ordinal)
            ? null
            : new RawCommentsAppend(_table, source, _time);
    }
}
