using Npgsql;
using NpgsqlTypes;
using ToxicFunctions.Csv;

namespace ToxicFunctions.Ingestion;

/// <summary>
/// Writes tokenized batches into <c>staging.comments</c> with binary COPY, and rejected records into
/// <c>staging.rejected_records</c>. One connection runs one COPY at a time, so rejections are held back and written
/// between COPY runs once enough of them gather.
/// </summary>
internal sealed class StagingCopyWriter(NpgsqlConnection connection, long loadId, int rejectedFlushCount) : IAsyncDisposable
{
    private const string CopyComments = $"COPY staging.comments ({CommentBatch.Columns}) FROM STDIN (FORMAT BINARY)";

    private const string CopyRejected =
        "COPY staging.rejected_records (load_id, line_number, reason, raw_text) FROM STDIN (FORMAT BINARY)";

    private readonly List<RejectedRecord> _rejected = [];
    private NpgsqlRawCopyStream? _comments;

    public long RowsLoaded { get; private set; }

    public long RowsRejected { get; private set; }

    public async Task WriteAsync(CommentBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Records.Count > 0)
        {
            if (_comments is null)
            {
                _comments = await connection.BeginRawBinaryCopyAsync(CopyComments, cancellationToken);
                await _comments.WriteAsync(CopyBinaryWriter.Header.ToArray(), cancellationToken);
            }

            await _comments.WriteAsync(batch.Rows, cancellationToken);
            RowsLoaded += batch.Records.Count;
        }

        _rejected.AddRange(batch.Rejected);
        if (_rejected.Count >= rejectedFlushCount)
        {
            await FlushRejectedAsync(cancellationToken);
        }
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await EndCommentsAsync(cancellationToken);
        await FlushRejectedAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        // A COPY still open here did not complete: cancel it rather than commit a partial stream.
        if (_comments is not null)
        {
            try
            {
                await _comments.CancelAsync();
                await _comments.DisposeAsync();
            }
            catch (ObjectDisposedException)
            {
                // The COPY has ended already (the server refused it): the exception that ended it is the one to report,
                // and this one must not replace it.
            }
        }
    }

    private async Task EndCommentsAsync(CancellationToken cancellationToken)
    {
        if (_comments is null)
        {
            return;
        }

        await _comments.WriteAsync(CopyBinaryWriter.Trailer.ToArray(), cancellationToken);
        await _comments.DisposeAsync(); // ends the COPY; the server checks every row
        _comments = null;
    }

    private async Task FlushRejectedAsync(CancellationToken cancellationToken)
    {
        if (_rejected.Count == 0)
        {
            return;
        }

        await EndCommentsAsync(cancellationToken);
        await using (var importer = await connection.BeginBinaryImportAsync(CopyRejected, cancellationToken))
        {
            foreach (var rejected in _rejected)
            {
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(loadId, NpgsqlDbType.Bigint, cancellationToken);
                await importer.WriteAsync(rejected.LineNumber, NpgsqlDbType.Bigint, cancellationToken);
                await importer.WriteAsync(WithoutNul(rejected.Reason), NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(WithoutNul(rejected.RawText), NpgsqlDbType.Text, cancellationToken);
            }

            await importer.CompleteAsync(cancellationToken);
        }

        RowsRejected += _rejected.Count;
        _rejected.Clear();
    }

    // PostgreSQL text cannot hold NUL; a rejected record may contain one (that can be why it was rejected).
    private static string WithoutNul(string text) => text.Replace('\0', '\uFFFD');
}
