using System.Globalization;
using Amazon.Runtime;
using Azure;
using ToxicFunctions.Csv;
using ToxicFunctions.Storage;

namespace ToxicFunctions.Lake;

/// <summary>
/// One object's append to the raw comments table. Rows are written to local Parquet files as they come
/// (<see cref="AddAsync"/>); every <see cref="RowsPerFile"/> rows the file is closed and uploaded while the next one is
/// written, so the upload runs alongside the load, local disk stays bounded and no file nears a single PUT's limit.
/// <see cref="CommitAsync"/> uploads the last file and commits all of them with the object's <c>txn</c> in one version.
/// Disposing without a commit leaves the table as it was and deletes the local files and the uploaded ones; after a
/// commit attempt that failed, uploaded files are left for <see cref="DeltaVacuum"/>, since the commit may have landed.
/// </summary>
/// <remarks>Not thread-safe: one writer adds the batches in order, then commits.</remarks>
public sealed class RawCommentsAppend : IAsyncDisposable
{
    /// <summary>Rows per data file: one row group (<see cref="RawCommentsFile.RowGroupRows"/>), about 17 MB of real comments.</summary>
    public const int RowsPerFile = RawCommentsFile.RowGroupRows;

    /// <summary>Closed files whose upload may still be running at once; adding waits for the oldest beyond that.</summary>
    private const int MaxPendingUploads = 2;

    private readonly DeltaTable _table;
    private readonly ObjectRef _source;
    private readonly TimeProvider _time;
    private readonly Guid _id = Guid.NewGuid();
    private readonly List<Task<DeltaAddFile>> _uploads = [];
    private readonly Queue<Task<DeltaAddFile>> _pending = new();
    private readonly CancellationTokenSource _abort = new();
    private RawCommentsFile? _file;
    private long _rows;
    private bool _commitAttempted;

    /// <summary>Starts the append of <paramref name="source"/>'s rows to <paramref name="table"/>.</summary>
    public RawCommentsAppend(DeltaTable table, ObjectRef source, TimeProvider time)
    {
        _table = table;
        _source = source;
        _time = time;
    }

    /// <summary>Rows added so far.</summary>
    public long Rows => _rows;

    /// <summary>Data files closed so far, the current one included.</summary>
    public int Files => _uploads.Count + (_file is null ? 0 : 1);

    /// <summary>Adds accepted records in line order; a file that reaches <see cref="RowsPerFile"/> starts uploading.</summary>
    /// <exception cref="IOException">An upload of an earlier file failed (the store's exception otherwise).</exception>
    public async Task AddAsync(IReadOnlyList<CommentRecord> records, CancellationToken cancellationToken)
    {
        var offset = 0;
        while (offset < records.Count)
        {
            var file = _file ??= NewFile();
            var take = (int)Math.Min(records.Count - offset, RowsPerFile - file.Rows);
            file.Add(records.Skip(offset).Take(take));
            offset += take;
            _rows += take;
            if (file.Rows == RowsPerFile)
            {
                await CloseAsync(cancellationToken);
            }
        }
    }

    /// <summary>
    /// Uploads the last file and commits every file of the object with its <c>txn</c> (creating the table at version 0
    /// when it has none). An object without accepted rows commits one empty file, so its <c>txn</c> is recorded.
    /// </summary>
    /// <returns>The committed version, or null when the table already holds this object version (its txn), which adds nothing.</returns>
    public async Task<long?> CommitAsync(CancellationToken cancellationToken)
    {
        if (_file is not null || _uploads.Count == 0)
        {
            _file ??= NewFile();
            await CloseAsync(cancellationToken);
        }

        var files = await Task.WhenAll(_uploads);
        _commitAttempted = true;
        var appId = RawCommentsLake.AppId(_source);
        var now = _time.GetUtcNow();
        var version = await _table.CommitAsync(
            snapshot =>
            {
                if (snapshot?.Transactions.ContainsKey(appId) == true)
                {
                    return null; // an earlier delivery of the same object is in the table already
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
                        new Dictionary<string, string> { ["mode"] = "Append", ["source"] = _source.ToString(), ["rows"] = _rows.ToString(CultureInfo.InvariantCulture) },
                        "toxicfunctions", IsBlindAppend: false),
                });
                actions.AddRange(files.Select(add => new DeltaAction { Add = add with { ModificationTime = now.ToUnixTimeMilliseconds() } }));
                actions.Add(new DeltaAction { Txn = new DeltaTransaction(appId, 1, now.ToUnixTimeMilliseconds()) });
                return actions;
            },
            cancellationToken);
        if (version is null)
        {
            // Ours and referenced by no version: removed now rather than left for vacuum.
            foreach (var add in files)
            {
                await _table.Store.DeleteAsync(_table.DataKey(add.Path), cancellationToken);
            }
        }

        return version;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _abort.CancelAsync();
        if (_file is { } file)
        {
            file.Dispose();
            File.Delete(file.Path);
        }

        foreach (var upload in _uploads)
        {
            try
            {
                var add = await upload;
                if (!_commitAttempted)
                {
                    await _table.Store.DeleteAsync(_table.DataKey(add.Path), CancellationToken.None);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException or AmazonServiceException or RequestFailedException)
            {
                // Cancelled or failed: nothing of this append is committed, and vacuum takes what was stored.
            }
        }

        _abort.Dispose();
    }

    private RawCommentsFile NewFile() =>
        new(Path.Combine(Path.GetTempPath(), $"toxic-lake-{Guid.NewGuid():N}.parquet"), _source, _time.GetUtcNow());

    // Closes the current file and starts its upload; waits for the oldest upload when too many are running.
    private async Task CloseAsync(CancellationToken cancellationToken)
    {
        var file = _file!;
        _file = null;
        var name = DataFileFormat.FileName(_id, _uploads.Count);
        string stats;
        try
        {
            stats = file.Complete();
        }
        finally
        {
            file.Dispose();
        }

        var upload = Task.Run(() => UploadAsync(file.Path, name, stats, _abort.Token), CancellationToken.None);
        _uploads.Add(upload);
        _pending.Enqueue(upload);
        while (_pending.Count > MaxPendingUploads || (_pending.Count > 0 && _pending.Peek().IsCompleted))
        {
            await _pending.Dequeue().WaitAsync(cancellationToken);
        }
    }

    private async Task<DeltaAddFile> UploadAsync(string path, string name, string stats, CancellationToken cancellationToken)
    {
        try
        {
            var size = new FileInfo(path).Length;
            await _table.Store.PutFileAsync(_table.Root + name, path, DataFileFormat.ContentType, cancellationToken);
            return new DeltaAddFile(Uri.EscapeDataString(name), new Dictionary<string, string>(), size, 0, DataChange: true, stats);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
