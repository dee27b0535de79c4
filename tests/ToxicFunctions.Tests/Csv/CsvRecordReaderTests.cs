using ToxicFunctions.Csv;

namespace ToxicFunctions.Tests.Csv;

public sealed class CsvRecordReaderTests
{
    private sealed record Row(long Line, string[] Fields, string? Error, string Raw);

    private static async Task<List<Row>> ReadAllAsync(string csv, int maxRecordChars = CsvRecordReader.DefaultMaxRecordChars, int chunk = int.MaxValue)
    {
        var reader = new CsvRecordReader(new ChunkedReader(csv, chunk), maxRecordChars);
        var rows = new List<Row>();
        while (await reader.ReadAsync())
        {
            rows.Add(new Row(reader.LineNumber, [.. reader.Fields], reader.Error, reader.GetRawText()));
        }

        return rows;
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Parses_rfc4180_with_quoted_newlines_and_doubled_quotes(int chunk)
    {
        var csv = "comment_text,labels\n\"line one\nline two\",0\r\n\"say \"\"hi\"\"\",1\nplain,0\n\"\",1";
        var rows = await ReadAllAsync(csv, chunk: chunk);

        Assert.Equal([1L, 2L, 4L, 5L, 6L], rows.Select(r => r.Line));
        Assert.Equal(["line one\nline two", "0"], rows[1].Fields);
        Assert.Equal(["say \"hi\"", "1"], rows[2].Fields);
        Assert.Equal(["plain", "0"], rows[3].Fields);
        Assert.Equal(["", "1"], rows[4].Fields);
        Assert.All(rows, r => Assert.Null(r.Error));
        Assert.Equal("\"line one\nline two\",0", rows[1].Raw);
        Assert.Equal("\"say \"\"hi\"\"\",1", rows[2].Raw);
    }

    [Fact]
    public async Task Skips_blank_lines_and_keeps_line_numbers()
    {
        var rows = await ReadAllAsync("a,b\n\n\r\nx,1\n\n");
        Assert.Equal([1L, 4L], rows.Select(r => r.Line));
    }

    [Fact]
    public async Task Keeps_a_quote_inside_an_unquoted_field_as_text()
    {
        var rows = await ReadAllAsync("he said \"hi\" twice,0\n");
        Assert.Equal(["he said \"hi\" twice", "0"], rows[0].Fields);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(2)]
    public async Task Rejects_garbage_after_a_closing_quote_and_resumes_on_the_next_line(int chunk)
    {
        var rows = await ReadAllAsync("comment_text,labels\n\"abc\"def\",1\ngood,0\n", chunk: chunk);

        Assert.Equal(3, rows.Count);
        Assert.Equal(2, rows[1].Line);
        Assert.Contains("after the closing quote", rows[1].Error, StringComparison.Ordinal);
        Assert.Equal("\"abc\"def\",1", rows[1].Raw);
        Assert.Equal(3, rows[2].Line);
        Assert.Equal(["good", "0"], rows[2].Fields);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(5)]
    public async Task An_unterminated_quote_costs_only_its_own_line(int chunk)
    {
        var rows = await ReadAllAsync("comment_text,labels\n\"never closed,1\nsecond,0\nthird,1\n", chunk: chunk);

        Assert.Equal([1L, 2L, 3L, 4L], rows.Select(r => r.Line));
        Assert.Contains("not closed", rows[1].Error, StringComparison.Ordinal);
        Assert.Equal("\"never closed,1", rows[1].Raw);
        Assert.Equal(["second", "0"], rows[2].Fields);
        Assert.Equal(["third", "1"], rows[3].Fields);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Lone_carriage_returns_and_mixed_line_ends_each_end_one_line(int chunk)
    {
        // Old Mac exports end lines with CR alone; files stitched together mix CR, LF and CRLF.
        var rows = await ReadAllAsync("h,l\r\na,0\rb,1\nc,0\r\n\"q\rx\",1\rd,0\r\"broken\rz,1\r", chunk: chunk);

        Assert.Equal([1L, 2L, 3L, 4L, 5L, 7L, 8L, 9L], rows.Select(r => r.Line));
        Assert.Equal(["q\rx", "1"], rows[4].Fields);
        Assert.Equal(["d", "0"], rows[5].Fields);
        Assert.NotNull(rows[6].Error);
        Assert.Equal("\"broken", rows[6].Raw);
        Assert.Equal(["z", "1"], rows[7].Fields);
    }

    [Fact]
    public async Task A_runaway_quote_is_cut_at_its_first_line_when_a_later_quote_breaks_it()
    {
        // The open quote on line 2 runs into line 3, where a quote closes it followed by garbage.
        var rows = await ReadAllAsync("h,l\n\"open,1\nnext \"quoted\" x,0\nlast,1\n");

        Assert.Equal(2, rows[1].Line);
        Assert.NotNull(rows[1].Error);
        Assert.Equal(3, rows[2].Line);
        Assert.Equal(["next \"quoted\" x", "0"], rows[2].Fields);
        Assert.Equal(4, rows[3].Line);
        Assert.Equal(["last", "1"], rows[3].Fields);
    }

    [Fact]
    public async Task Rejects_a_record_longer_than_the_limit_without_holding_it()
    {
        var huge = new string('x', 5000);
        var rows = await ReadAllAsync($"h,l\n{huge},1\nok,0\n", maxRecordChars: 100, chunk: 64);

        Assert.Equal(3, rows.Count);
        Assert.Contains("longer than 100", rows[1].Error, StringComparison.Ordinal);
        Assert.True(rows[1].Raw.Length <= 200);
        Assert.Equal(3, rows[2].Line);
        Assert.Equal(["ok", "0"], rows[2].Fields);
    }

    [Fact]
    public async Task Empty_input_has_no_records()
    {
        Assert.Empty(await ReadAllAsync(""));
        Assert.Empty(await ReadAllAsync("\n\n"));
    }

    /// <summary>Hands out text in small pieces, so that records straddle buffer refills.</summary>
    private sealed class ChunkedReader(string text, int chunk) : TextReader
    {
        private int _position;

        public override ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default)
        {
            var count = Math.Min(Math.Min(chunk, buffer.Length), text.Length - _position);
            text.AsMemory(_position, count).CopyTo(buffer);
            _position += count;
            return ValueTask.FromResult(count);
        }
    }
}
