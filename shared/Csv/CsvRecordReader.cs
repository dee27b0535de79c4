namespace ToxicFunctions.Csv;

/// <summary>
/// Streams RFC 4180 records from a <see cref="TextReader"/>, keeping the line number where each record starts
/// and recovering from malformed records: a record with broken quoting is reported with its first physical line
/// and parsing resumes on the next line, so one bad quote never swallows the rest of a file.
/// </summary>
/// <remarks>
/// Written here rather than taken from a CSV library because the libraries we measured (Sep, CsvHelper,
/// Sylvan) either lose the line number or cannot resynchronise after an unterminated quote.
/// Records are read like a data reader: <see cref="ReadAsync"/> advances, then <see cref="Fields"/>,
/// <see cref="Error"/> and <see cref="GetRawText"/> describe the current record until the next call.
/// A quote inside an unquoted field is kept as a literal character, as Python's csv module does.
/// Blank lines are skipped. Line numbers count line ends (LF, CRLF or a lone CR, as old Mac exports write), starting at 1.
/// </remarks>
public sealed class CsvRecordReader
{
    /// <summary>The default upper bound on the characters of one record.</summary>
    public const int DefaultMaxRecordChars = 1 << 20;

    private const int BufferChars = 1 << 16;

    private readonly TextReader _reader;
    private readonly int _maxRecordChars;
    private readonly List<string> _fields = [];
    private char[] _buffer = new char[BufferChars];
    private int _position;
    private int _length;
    private bool _endOfInput;

    // Raw characters of the current record that came from buffers already refilled.
    private char[] _raw = new char[1024];
    private int _rawLength;
    private int _recordStart;
    private int _recordEnd;

    private char[] _field = new char[256];
    private int _fieldLength;

    private long _nextLine = 1;

    // The input character just before _buffer[0], so that the LF of a CRLF split across reads still counts once.
    private char _charBeforeBuffer = '\n';
    private string? _errorRawText;

    /// <summary>Creates a reader over <paramref name="reader"/>.</summary>
    /// <param name="reader">The text to parse.</param>
    /// <param name="maxRecordChars">Records longer than this are rejected (it bounds memory on hostile input).</param>
    public CsvRecordReader(TextReader reader, int maxRecordChars = DefaultMaxRecordChars)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecordChars, 16);
        _reader = reader;
        _maxRecordChars = maxRecordChars;
    }

    private enum State
    {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }

    /// <summary>The line on which the current record starts (1-based).</summary>
    public long LineNumber { get; private set; }

    /// <summary>The fields of the current record; empty when <see cref="Error"/> is set.</summary>
    public IReadOnlyList<string> Fields => _fields;

    /// <summary>Why the current record is malformed, or null for a well-formed record.</summary>
    public string? Error { get; private set; }

    /// <summary>The raw text of the current record (for a malformed one, its first physical line).</summary>
    public string GetRawText()
    {
        if (_errorRawText is not null)
        {
            return _errorRawText;
        }

        var tail = _buffer.AsSpan(_recordStart, _recordEnd - _recordStart);
        return _rawLength == 0 ? new string(tail) : string.Concat(_raw.AsSpan(0, _rawLength), tail);
    }

    /// <summary>Advances to the next record; false at the end of the input.</summary>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken = default)
    {
        _fields.Clear();
        _fieldLength = 0;
        _rawLength = 0;
        _errorRawText = null;
        Error = null;
        LineNumber = _nextLine;
        _recordStart = _position;
        var state = State.FieldStart;

        while (true)
        {
            if (_position == _length)
            {
                if (!_endOfInput)
                {
                    KeepRaw(_recordStart, _length);
                    _recordStart = _length;
                    if (_rawLength > _maxRecordChars)
                    {
                        return await RejectAsync($"record is longer than {_maxRecordChars} characters", cancellationToken);
                    }

                    await FillAsync(cancellationToken);
                    _recordStart = _position;
                    continue;
                }

                _recordEnd = _position;
                switch (state)
                {
                    case State.FieldStart when _fields.Count == 0:
                        return false;
                    case State.Quoted:
                        return await RejectAsync("quoted field is not closed before the end of the file", cancellationToken);
                    default:
                        EndField();
                        return true;
                }
            }

            var span = _buffer.AsSpan(_position, _length - _position);
            switch (state)
            {
                case State.FieldStart:
                    {
                        var c = span[0];
                        if (c == '"')
                        {
                            _position++;
                            state = State.Quoted;
                        }
                        else if (c == ',')
                        {
                            _position++;
                            EndField();
                        }
                        else if (c is '\n' or '\r')
                        {
                            CountLineEnd(_position);
                            _position++;
                            if (_fields.Count == 0)
                            {
                                // A blank line: skip it, the record starts later.
                                _rawLength = 0;
                                _recordStart = _position;
                                LineNumber = _nextLine;
                                continue;
                            }

                            _recordEnd = _position - 1;
                            EndField();
                            return true;
                        }
                        else
                        {
                            state = State.Unquoted;
                        }

                        break;
                    }

                case State.Unquoted:
                    {
                        var run = span.IndexOfAny(',', '\n', '\r');
                        if (run < 0)
                        {
                            AppendField(span);
                            _position = _length;
                            break;
                        }

                        AppendField(span[..run]);
                        if (span[run] == ',')
                        {
                            _position += run + 1;
                            EndField();
                            state = State.FieldStart;
                            break;
                        }

                        CountLineEnd(_position + run);
                        _position += run + 1;
                        _recordEnd = _position - 1;
                        EndField();
                        return true;
                    }

                case State.Quoted:
                    {
                        var run = span.IndexOfAny('"', '\n', '\r');
                        if (run < 0)
                        {
                            AppendField(span);
                            _position = _length;
                            break;
                        }

                        AppendField(span[..run]);
                        if (span[run] != '"')
                        {
                            CountLineEnd(_position + run);
                            _position += run + 1;
                            AppendField(span.Slice(run, 1));
                            if (_rawLength + _position - _recordStart > _maxRecordChars)
                            {
                                return await RejectAsync($"record is longer than {_maxRecordChars} characters", cancellationToken);
                            }
                        }
                        else
                        {
                            _position += run + 1;
                            state = State.QuoteInQuoted;
                        }

                        break;
                    }

                case State.QuoteInQuoted:
                    {
                        var c = span[0];
                        if (c == '"')
                        {
                            _position++;
                            AppendField("\"");
                            state = State.Quoted;
                        }
                        else if (c == ',')
                        {
                            _position++;
                            EndField();
                            state = State.FieldStart;
                        }
                        else if (c is '\n' or '\r')
                        {
                            CountLineEnd(_position);
                            _position++;
                            _recordEnd = _position - 1;
                            EndField();
                            return true;
                        }
                        else
                        {
                            return await RejectAsync(
                                $"unexpected character '{c}' after the closing quote of field {_fields.Count + 1}",
                                cancellationToken);
                        }

                        break;
                    }
            }
        }
    }

    /// <summary>
    /// Turns the current record into a rejection of its first physical line and arranges for parsing to resume on the
    /// line after it, so that a stray quote never swallows the rest of the file.
    /// </summary>
    private async ValueTask<bool> RejectAsync(string reason, CancellationToken cancellationToken)
    {
        KeepRaw(_recordStart, _position);
        _recordStart = _position;
        _fields.Clear();
        Error = reason;

        var consumed = _raw.AsSpan(0, _rawLength);
        var newline = consumed.IndexOfAny('\n', '\r');
        if (newline >= 0)
        {
            _errorRawText = new string(consumed[..newline]);

            // Parse again everything after the first line, then the unread rest of the buffer.
            var restStart = consumed[newline] == '\r' && newline + 1 < consumed.Length && consumed[newline + 1] == '\n' ? newline + 2 : newline + 1;
            _charBeforeBuffer = consumed[restStart - 1];
            var rest = consumed[restStart..];
            var unread = _buffer.AsSpan(_position, _length - _position);
            var next = new char[Math.Max(BufferChars, rest.Length + unread.Length)];
            rest.CopyTo(next);
            unread.CopyTo(next.AsSpan(rest.Length));
            _buffer = next;
            _position = 0;
            _length = rest.Length + unread.Length;
            _nextLine = LineNumber + 1;
            return true;
        }

        // The record never left its first line: the rejection runs to the end of that line.
        while (true)
        {
            if (_position == _length)
            {
                if (_endOfInput)
                {
                    break;
                }

                await FillAsync(cancellationToken);
                continue;
            }

            var span = _buffer.AsSpan(_position, _length - _position);
            var end = span.IndexOfAny('\n', '\r');
            var take = end < 0 ? span : span[..end];
            var room = _maxRecordChars - _rawLength;
            if (room > 0)
            {
                AppendRaw(take[..Math.Min(room, take.Length)]);
            }

            if (end >= 0)
            {
                // A CR ends the line here; the LF of a CRLF is then skipped as a blank line's.
                _position += end + 1;
                break;
            }

            _position = _length;
        }

        _errorRawText = new string(_raw.AsSpan(0, _rawLength));
        _nextLine = LineNumber + 1;
        return true;
    }

    // A CR, or an LF that does not end a CRLF, ends a line.
    private void CountLineEnd(int index)
    {
        if (_buffer[index] == '\r' || (index > 0 ? _buffer[index - 1] : _charBeforeBuffer) != '\r')
        {
            _nextLine++;
        }
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_length > 0)
        {
            _charBeforeBuffer = _buffer[_length - 1];
        }

        var read = await _reader.ReadAsync(_buffer.AsMemory(), cancellationToken);
        _position = 0;
        _length = read;
        _endOfInput = read == 0;
    }

    private void KeepRaw(int from, int to) => AppendRaw(_buffer.AsSpan(from, to - from));

    private void AppendRaw(ReadOnlySpan<char> chars)
    {
        if (chars.IsEmpty)
        {
            return;
        }

        Grow(ref _raw, _rawLength + chars.Length);
        chars.CopyTo(_raw.AsSpan(_rawLength));
        _rawLength += chars.Length;
    }

    private void AppendField(ReadOnlySpan<char> chars)
    {
        if (chars.IsEmpty)
        {
            return;
        }

        Grow(ref _field, _fieldLength + chars.Length);
        chars.CopyTo(_field.AsSpan(_fieldLength));
        _fieldLength += chars.Length;
    }

    private void EndField()
    {
        _fields.Add(_fieldLength == 0 ? string.Empty : new string(_field, 0, _fieldLength));
        _fieldLength = 0;
    }

    private static void Grow(ref char[] array, int needed)
    {
        if (needed > array.Length)
        {
            Array.Resize(ref array, Math.Max(needed, array.Length * 2));
        }
    }
}
