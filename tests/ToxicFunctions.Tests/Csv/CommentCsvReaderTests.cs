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

    [Fact]
    public async Task A_rejected_row_cut_for_length_keeps_whole_characters()
    {
        // The cut falls between the two UTF-16 halves of an emoji: a lone half is no text, and PostgreSQL refuses it.
        var csv = $"comment_text,labels\n{new string('a', 65_535)}\U0001F600,2\n";
        var (_, rejected) = await ReadAsync(csv);

        var raw = Assert.Single(rejected).RawText;
        Assert.True(raw.Length <= 65_537);
        for (var i = 0; i < raw.Length; i++)
        {
            if (char.IsHighSurrogate(raw[i]))
            {
                Assert.True(i + 1 < raw.Length && char.IsLowSurrogate(raw[++i]), $"a lone high surrogate at {i}");
            }
            else
            {
                Assert.False(char.IsLowSurrogate(raw[i]), $"a lone low surrogate at {i}");
            }
        }
    }

    [Fact]
    public async Task Rows_of_bytes_that_are_not_utf8_are_rejected_with_their_line_and_the_rest_loads()
    {
        // "café" written by a Windows-1252 editor: the é is the single byte E9.
        byte[] bytes = [.. "comment_text,labels\nok,0\ncaf"u8, 0xE9, .. ",1\nthanks,0\n"u8];
        using var text = new StreamReader(new MemoryStream(bytes), CommentCsvReader.Utf8);
        var reader = new CommentCsvReader(text);
        var records = new List<CommentRecord>();
        var rejected = new List<RejectedRecord>();
        while (await reader.ReadAsync(records, rejected, 100))
        {
        }

        Assert.Equal(["ok", "thanks"], records.Select(r => r.Text));
        var bad = Assert.Single(rejected);
        Assert.Equal(3, bad.LineNumber);
        Assert.Contains("not valid UTF-8", bad.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_of_rejected_rows_comes_in_bounded_batches()
    {
        var csv = "comment_text,labels\n" + string.Concat(Enumerable.Range(0, 1000).Select(i => $"row {i},0.0\n"));
        var reader = new CommentCsvReader(new StringReader(csv));
        var batches = new List<int>();
        while (true)
        {
            var records = new List<CommentRecord>();
            var rejected = new List<RejectedRecord>();
            if (!await reader.ReadAsync(records, rejected, 256))
            {
                break;
            }

            Assert.Empty(records);
            batches.Add(rejected.Count);
        }

        Assert.Equal([256, 256, 256, 232], batches);
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
