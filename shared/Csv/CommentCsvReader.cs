using System.Text;

namespace ToxicFunctions.Csv;

/// <summary>
/// Reads the comments of a <c>comment_text,labels</c> CSV file: the header names the columns (in any order, other
/// columns ignored); every record is either a <see cref="CommentRecord"/> or a <see cref="RejectedRecord"/>.
/// </summary>
public sealed class CommentCsvReader
{
    /// <summary>The column holding the comment text.</summary>
    public const string TextColumn = "comment_text";

    /// <summary>The column holding the 0/1 label.</summary>
    public const string LabelColumn = "labels";

    private const int MaxRawTextChars = 1 << 16;

    // What the decoder puts in place of bytes that are not UTF-8: a noncharacter, so that it cannot be mistaken for
    // text (U+FFFD, the usual replacement, also occurs in real comments).
    private const char InvalidByteMark = '\uFFFF';

    /// <summary>
    /// The encoding to decode CSV bytes with: UTF-8 whose invalid bytes become a mark that rejects their row (as
    /// "not valid UTF-8", with its line number) instead of slipping into the text as U+FFFD.
    /// </summary>
    public static Encoding Utf8 { get; } =
        Encoding.GetEncoding("utf-8", EncoderFallback.ReplacementFallback, new DecoderReplacementFallback(InvalidByteMark.ToString()));

    private readonly CsvRecordReader _csv;
    private int _fieldCount = -1;
    private int _textIndex;
    private int _labelIndex;

    /// <summary>Creates a reader over CSV text.</summary>
    public CommentCsvReader(TextReader reader, int maxRecordChars = CsvRecordReader.DefaultMaxRecordChars) =>
        _csv = new CsvRecordReader(reader, maxRecordChars);

    /// <summary>Reads a whole CSV file: every good record and every rejection, in file order.</summary>
    /// <exception cref="InvalidDataException">The file is empty or its header lacks a required column.</exception>
    public static async Task<(List<CommentRecord> Records, List<RejectedRecord> Rejected)> ReadFileAsync(
        string path, CancellationToken cancellationToken = default)
    {
        using var text = new StreamReader(path, Utf8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var reader = new CommentCsvReader(text);
        var records = new List<CommentRecord>();
        var rejected = new List<RejectedRecord>();
        while (await reader.ReadAsync(records, rejected, int.MaxValue, cancellationToken))
        {
        }

        return (records, rejected);
    }

    /// <summary>
    /// Reads up to <paramref name="maxRecords"/> records, the good ones into <paramref name="records"/> and the rejected
    /// ones into <paramref name="rejected"/>; returns false once the input is exhausted and nothing was read.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is empty or its header lacks a required column.</exception>
    public async ValueTask<bool> ReadAsync(
        List<CommentRecord> records, List<RejectedRecord> rejected, int maxRecords, CancellationToken cancellationToken = default)
    {
        if (_fieldCount < 0)
        {
            await ReadHeaderAsync(cancellationToken);
        }

        // Rejections count too, so that a file whose every row is bad still comes in bounded batches.
        var read = 0;
        while (read < maxRecords && await _csv.ReadAsync(cancellationToken))
        {
            read++;
            CommentRecord? record = null;
            var reason = _csv.Error ?? Validate(out record);
            if (reason is null)
            {
                records.Add(record!);
            }
            else
            {
                rejected.Add(new RejectedRecord(_csv.LineNumber, reason, Truncate(_csv.GetRawText())));
            }
        }

        return read > 0;
    }

    private string? Validate(out CommentRecord? record)
    {
        record = null;
        var fields = _csv.Fields;
        if (fields.Count != _fieldCount)
        {
            return $"expected {_fieldCount} fields, found {fields.Count}";
        }

        var label = fields[_labelIndex].AsSpan().Trim();
        short value;
        if (label.SequenceEqual("0"))
        {
            value = 0;
        }
        else if (label.SequenceEqual("1"))
        {
            value = 1;
        }
        else
        {
            return $"{LabelColumn} must be 0 or 1, found '{Truncate(fields[_labelIndex], 40)}'";
        }

        var text = fields[_textIndex];
        if (string.IsNullOrWhiteSpace(text))
        {
            return $"{TextColumn} is empty";
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            return $"{TextColumn} contains a NUL character";
        }

        if (text.Contains(InvalidByteMark, StringComparison.Ordinal))
        {
            return $"{TextColumn} is not valid UTF-8";
        }

        record = new CommentRecord(_csv.LineNumber, text, value);
        return null;
    }

    private async ValueTask ReadHeaderAsync(CancellationToken cancellationToken)
    {
        if (!await _csv.ReadAsync(cancellationToken))
        {
            throw new InvalidDataException("The file is empty: expected a header with columns comment_text,labels.");
        }

        if (_csv.Error is not null)
        {
            throw new InvalidDataException($"The header on line {_csv.LineNumber} is malformed: {_csv.Error}.");
        }

        var names = _csv.Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        _textIndex = names.IndexOf(TextColumn);
        _labelIndex = names.IndexOf(LabelColumn);
        if (_textIndex < 0 || _labelIndex < 0)
        {
            throw new InvalidDataException(
                $"The header must name the columns {TextColumn} and {LabelColumn}; found: {Truncate(string.Join(',', _csv.Fields), 200)}.");
        }

        _fieldCount = names.Count;
    }

    // Never between the two halves of a surrogate pair: a lone half is not text, and PostgreSQL's UTF-8 refuses it.
    private static string Truncate(string text, int max = MaxRawTextChars) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, char.IsHighSurrogate(text[max - 1]) ? max - 1 : max), "…");
}
