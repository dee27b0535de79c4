using ToxicFunctions.Csv;

namespace ToxicFunctions.Tests.Csv;

public sealed class CommentCsvReaderTests
{
    private static async Task<(List<CommentRecord> Records, List<RejectedRecord> Rejected)> ReadAsync(string csv)
    {
        var reader = new CommentCsvReader(new StringReader(csv));
        var records = new List<CommentRecord>();
        var rejected = new List<RejectedRecord>();
        while (await reader.ReadAsync(records, rejected, records.Count + 2))
        {
        }

        return (records, rejected);
    }

    [Fact]
    public async Task Finds_columns_by_header_name_in_any_order()
    {
        var (records, rejected) = await ReadAsync("labels,id,comment_text\n1,a,\"you \"\"idiot\"\"\"\n0,b,thanks\n");

        Assert.Empty(rejected);
        Assert.Equal([new CommentRecord(2, "you \"idiot\"", 1), new CommentRecord(3, "thanks", 0)], records);
    }

    [Fact]
    public async Task Rejects_bad_labels_wrong_field_counts_and_empty_text_with_line_numbers()
    {
        var csv = "comment_text,labels\nfine,0\nbad label,yes\ntoo,many,fields\n\"\",1\nnum,2\n\"multi\nline\",1\n\"broken\"x,0\nlast,1\n";
        var (records, rejected) = await ReadAsync(csv);

        Assert.Equal([2L, 7L, 10L], records.Select(r => r.LineNumber));
        Assert.Equal("multi\nline", records[1].Text);
        Assert.Equal([3L, 4L, 5L, 6L, 9L], rejected.Select(r => r.LineNumber));
        Assert.Equal("bad label,yes", rejected[0].RawText);
        Assert.Contains("must be 0 or 1", rejected[0].Reason, StringComparison.Ordinal);
        Assert.Contains("expected 2 fields, found 3", rejected[1].Reason, StringComparison.Ordinal);
        Assert.Contains("empty", rejected[2].Reason, StringComparison.Ordinal);
        Assert.Contains("found '2'", rejected[3].Reason, StringComparison.Ordinal);
        Assert.Equal("\"broken\"x,0", rejected[4].RawText);
    }

    [Theory]
    [InlineData("")]
    [InlineData("text,label\nx,1\n")]
    public async Task Fails_the_file_without_a_usable_header(string csv)
    {
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync(csv));
        Assert.Contains("comment_text", error.Message, StringComparison.Ordinal);
    }
}
