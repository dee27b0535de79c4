using ToxicFunctions.Csv;
using ToxicFunctions.Tokenization;

namespace ToxicFunctions.Ingestion;

/// <summary>A run of consecutive records of one file: the good ones with their token ids, and the rejected ones.</summary>
internal sealed class CommentBatch(int capacity)
{
    public List<CommentRecord> Records { get; } = new(capacity);

    public List<RejectedRecord> Rejected { get; } = [];

    public int[][] TokenIds { get; private set; } = [];

    public CommentBatch Tokenize(WordPieceTokenizer tokenizer)
    {
        var ids = new int[Records.Count][];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = tokenizer.Encode(Records[i].Text);
        }

        TokenIds = ids;
        return this;
    }
}
