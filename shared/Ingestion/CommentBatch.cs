using ToxicFunctions.Csv;
using ToxicFunctions.Tokenization;

namespace ToxicFunctions.Ingestion;

/// <summary>
/// A run of consecutive records of one file: the good ones, the rejected ones, and, once <see cref="Prepare"/> has
/// run, the good ones tokenized and encoded as <c>staging.comments</c> rows in binary COPY format.
/// </summary>
internal sealed class CommentBatch(int capacity) : IDisposable
{
    private CopyBinaryWriter? _rows;

    /// <summary>The columns that <see cref="Rows"/> holds, in order.</summary>
    public const string Columns = "id, load_id, line_number, comment_text, labels, input_ids";

    public List<CommentRecord> Records { get; } = new(capacity);

    public List<RejectedRecord> Rejected { get; } = [];

    public ReadOnlyMemory<byte> Rows => _rows?.Written ?? ReadOnlyMemory<byte>.Empty;

    /// <summary>Tokenizes the records and encodes them as COPY rows; runs on a worker thread.</summary>
    public CommentBatch Prepare(WordPieceTokenizer tokenizer, long loadId)
    {
        var rows = _rows = new CopyBinaryWriter(Math.Max(1024, Records.Count * 1024));
        Span<int> ids = stackalloc int[WordPieceTokenizer.MaxTokens];
        foreach (var record in Records)
        {
            var count = tokenizer.Encode(record.Text, ids);
            rows.StartRow(6);
            rows.WriteUuid(Guid.CreateVersion7());
            rows.WriteInt64(loadId);
            rows.WriteInt64(record.LineNumber);
            rows.WriteText(record.Text);
            rows.WriteInt16(record.Label);
            rows.WriteInt32Array(ids[..count]);
        }

        return this;
    }

    /// <summary>Returns the encoded rows' pooled buffer once they are written.</summary>
    public void Dispose() => _rows?.Dispose();
}
