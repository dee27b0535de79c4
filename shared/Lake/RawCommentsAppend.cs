using System.Globalization;

namespace ToxicFunctions.Lake;

/// <summary>
/// One object's append to the raw comments table: rows are written to a local Parquet file as they come
/// (<see cref="Add"/>), then <see cref="CommitAsync"/> uploads it and commits it with the object's <c>txn</c>; disposing
/// without a commit deletes the local file and leaves the table as it was.
/// </summary>
public sealed class RawCommentsAppend : IDisposable
{
    private readonly DeltaTable _table;
    private readonly Storage.ObjectRef _source;
    private readonly TimeProvider _time;
    private readonly RawCommentsFile _file;
    private readonly string _name = $"part-00000-{Guid.NewGuid()}-c000.snappy.parquet";

    /// <summary>Starts the append of <paramref name="source"/>'s rows to <paramref name="table"/> (a local temporary file until committed).</summary>
    public RawCommentsAppend(DeltaTable table, Storage.ObjectRef source, TimeProvider time)
    {
        _table = table;
        _source = source;
        _time = time;
        _file = new RawCommentsFile(System.IO.Path.Combine(System.IO.Path.GetTempPath(), _name), source, time.GetUtcNow());
    }

    /// <summary>Rows added so far.</summary>
    public long Rows => _file.Rows;

    /// <summary>Adds accepted records in line order.</summary>
    public void Add(IEnumerable<Csv.CommentRecord> records) => _file.Add(records);

    /// <summary>
    /// Uploads the file and commits it (creating the table at version 0 when it has none).
    /// </summary>
    /// <returns>The committed version, or null when the table already holds this object version (its txn), which adds nothing.</returns>
    public async Task<long?> CommitAsync(CancellationToken cancellationToken)
    {
        var stats = _file.Complete();
        var appId = RawCommentsLake.AppId(_source);
        var before = await _table.LoadAsync(null, cancellationToken);
        if (before?.Transactions.ContainsKey(appId) == true)
        {
            return null;
        }

        var size = new FileInfo(_file.Path).Length;
        await _table.Store.PutFileAsync(_table.Root + _name, _file.Path, "application/vnd.apache.parquet", cancellationToken);
        var now = _time.GetUtcNow();
        return await _table.CommitAsync(
            snapshot =>
            {
                if (snapshot?.Transactions.ContainsKey(appId) == true)
                {
                    // Another delivery of the same object won the race; the uploaded file stays unreferenced (vacuum's).
                    return null;
                }

                var actions = new List<DeltaAction>();
                if (snapshot is null)
                {
                    actions.AddRange(RawCommentsTable.Create(now));
                }

                actions.Add(new DeltaAction
                {
                    CommitInfo = new DeltaCommitInfo(
                        now.ToUnixTimeMilliseconds(), "WRITE",
                        new Dictionary<string, string> { ["mode"] = "Append", ["source"] = _source.ToString(), ["rows"] = _file.Rows.ToString(CultureInfo.InvariantCulture) },
                        "toxicfunctions", IsBlindAppend: false),
                });
                actions.Add(new DeltaAction
                {
                    Add = new DeltaAddFile(Uri.EscapeDataString(_name), new Dictionary<string, string>(), size, now.ToUnixTimeMilliseconds(), DataChange: true, stats),
                });
                actions.Add(new DeltaAction { Txn = new DeltaTransaction(appId, 1, now.ToUnixTimeMilliseconds()) });
                return actions;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _file.Dispose();
        File.Delete(_file.Path);
    }
}
