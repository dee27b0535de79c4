using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using ParquetSharp;
using ToxicFunctions.Csv;
using ToxicFunctions.Storage;

namespace ToxicFunctions.Lake;

/// <summary>
/// Writes one ingested object's comments as a Parquet data file of <see cref="RawCommentsTable"/> (<see cref="DataFileFormat"/>, a row group
/// per <see cref="RowGroupRows"/> rows, so memory stays bounded for any object size) into a local file, and computes
/// the Delta statistics of its <c>add</c> action while writing (numRecords, nullCount, minValues, maxValues; no
/// min/max for comment_text, which the protocol leaves optional).
/// </summary>
/// <remarks>Not thread-safe: one writer adds the batches in order.</remarks>
public sealed class RawCommentsFile : IDisposable
{
    /// <summary>Rows per row group.</summary>
    public const int RowGroupRows = 65_536;

    // Rows are encoded into the open (buffered) row group in chunks of this many, so only a chunk of strings waits in
    // memory, and the row group holds compressed pages rather than the comments themselves.
    private const int ChunkRows = 4_096;

    private static readonly Column[] s_columns =
    [
        new Column<string>("comment_text", LogicalType.String()),
        new Column<int?>("labels"),
        new Column<string>("source_store", LogicalType.String()),
        new Column<string>("source_container", LogicalType.String()),
        new Column<string>("source_key", LogicalType.String()),
        new Column<string>("source_version", LogicalType.String()),
        new Column<long>("line_number"),
        new Column<DateTime>("ingested_at", LogicalType.Timestamp(isAdjustedToUtc: true, TimeUnit.Micros)),
    ];

    private readonly ObjectRef _source;
    private readonly DateTime _ingestedAt;
    private readonly ParquetFileWriter _writer;
    private readonly List<string> _texts = new(ChunkRows);
    private readonly List<int?> _labels = new(ChunkRows);
    private readonly List<long> _lines = new(ChunkRows);
    private static readonly short[] s_set = Filled<short>(1);
    private static readonly short[] s_null = new short[ChunkRows];
    private readonly ConstantColumns _constants;
    private readonly Utf8Values _textValues = new();
    private RowGroupWriter? _group;
    private ColumnWriter[]? _columns;
    private LogicalColumnWriter?[]? _logical;
    private int _groupRows;
    private long _rows;
    private long _nullLabels;
    private int? _minLabel;
    private int? _maxLabel;
    private long _minLine = long.MaxValue;
    private long _maxLine = long.MinValue;
    private bool _closed;

    /// <summary>Starts the file at <paramref name="path"/> for the rows of <paramref name="source"/>, ingested at <paramref name="ingestedAt"/>.</summary>
    public RawCommentsFile(string path, ObjectRef source, DateTimeOffset ingestedAt)
    {
        Path = path;
        _source = source;
        // Delta timestamps are microseconds: drop the ticks below, so the file and the statistics agree.
        _ingestedAt = new DateTime(ingestedAt.UtcTicks - (ingestedAt.UtcTicks % 10), DateTimeKind.Utc);
        // comment_text is nearly all distinct and long: a dictionary only costs hashing before it falls back, and
        // min/max of whole comments are of no use to a reader (the Delta statistics leave them out too).
        using var properties = DataFileFormat.Properties(b => b.DisableDictionary("comment_text").DisableStatistics("comment_text"));
        _writer = new ParquetFileWriter(path, s_columns, properties);
        _constants = new ConstantColumns(source, _ingestedAt);
    }

    /// <summary>The local file.</summary>
    public string Path { get; }

    /// <summary>Rows added so far.</summary>
    public long Rows => _rows + _texts.Count;

    /// <summary>Adds accepted records (label 0 or 1) in line order.</summary>
    public void Add(IEnumerable<CommentRecord> records)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        foreach (var record in records)
        {
            _texts.Add(record.Text);
            _labels.Add(record.Label);
            _lines.Add(record.LineNumber);
            if (_texts.Count == ChunkRows || _groupRows + _texts.Count == RowGroupRows)
            {
                Flush();
            }
        }
    }

    /// <summary>Writes the rest and the footer; returns the statistics of the file as the <c>add</c> action's JSON string.</summary>
    public string Complete()
    {
        Flush();
        CloseGroup();
        _writer.Close();
        _closed = true;
        var timestamp = _ingestedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var sourceValues = new Dictionary<string, object?>
        {
            ["source_store"] = _source.Store,
            ["source_container"] = _source.Container,
            ["source_key"] = _source.Key,
            ["source_version"] = _source.Version,
        };
        Dictionary<string, object?> Bounds(int? label, long line) => new(sourceValues)
        {
            ["labels"] = label,
            ["line_number"] = line,
            ["ingested_at"] = timestamp,
        };

        var empty = _rows == 0;
        return JsonSerializer.Serialize(new
        {
            numRecords = _rows,
            minValues = empty ? [] : Bounds(_minLabel, _minLine).Where(p => p.Value is not null).ToDictionary(),
            maxValues = empty ? [] : Bounds(_maxLabel, _maxLine).Where(p => p.Value is not null).ToDictionary(),
            // Only labels can be null: every other column is set for every row.
            nullCount = RawCommentsTable.Columns.ToDictionary(c => c.Name, c => c.Name == "labels" ? _nullLabels : 0L),
        });
    }

    /// <inheritdoc />
    public void Dispose()
    {
        DisposeColumns();
        _group?.Dispose();
        _writer.Dispose();
    }

    private static T[] Filled<T>(T value)
    {
        var values = new T[ChunkRows];
        Array.Fill(values, value);
        return values;
    }

    private void Flush()
    {
        var count = _texts.Count;
        if (count == 0)
        {
            return;
        }

        foreach (var label in _labels)
        {
            if (label is { } value)
            {
                _minLabel = _minLabel is { } min ? Math.Min(min, value) : value;
                _maxLabel = _maxLabel is { } max ? Math.Max(max, value) : value;
            }
            else
            {
                _nullLabels++;
            }
        }

        foreach (var line in _lines)
        {
            _minLine = Math.Min(_minLine, line);
            _maxLine = Math.Max(_maxLine, line);
        }

        if (_group is null)
        {
            // The columns' writers stay open for the row group: a buffered row group takes them in any order. String
            // columns are written with the low-level writer from UTF-8 buffers of our own (Utf8Values).
            _group = _writer.AppendBufferedRowGroup();
            _columns = [.. Enumerable.Range(0, s_columns.Length).Select(i => _group.Column(i))];
            _logical = [null, _columns[1].LogicalWriter(), null, null, null, null, _columns[6].LogicalWriter(), _columns[7].LogicalWriter()];
        }

        WriteStrings(0, _textValues.Encode(_texts), count, present: true);
        ((LogicalColumnWriter<int?>)_logical![1]!).WriteBatch(CollectionsMarshal.AsSpan(_labels));
        for (var column = 2; column <= 5; column++)
        {
            var constant = _constants.Values[column - 2];
            WriteStrings(column, constant is not null ? _constants.Repeated(column - 2) : [], count, present: constant is not null);
        }

        ((LogicalColumnWriter<long>)_logical[6]!).WriteBatch(CollectionsMarshal.AsSpan(_lines));
        ((LogicalColumnWriter<DateTime>)_logical[7]!).WriteBatch(_constants.IngestedAt.AsSpan(0, count));
        _rows += count;
        _groupRows += count;
        _texts.Clear();
        _labels.Clear();
        _lines.Clear();
        if (_groupRows == RowGroupRows)
        {
            CloseGroup();
        }
    }

    // An optional string column: every row set (definition level 1) or every row null (0).
    private void WriteStrings(int column, ReadOnlySpan<ByteArray> values, int count, bool present)
    {
        var writer = (ColumnWriter<ByteArray>)_columns![column];
        writer.WriteBatch(count, (present ? s_set : s_null).AsSpan(0, count), ReadOnlySpan<short>.Empty, present ? values[..count] : []);
    }

    private void CloseGroup()
    {
        if (_group is { } group)
        {
            DisposeColumns();
            group.Close();
            group.Dispose();
            _group = null;
            _groupRows = 0;
        }
    }

    private void DisposeColumns()
    {
        // A logical writer disposes the column writer it wraps.
        for (var i = 0; i < (_columns?.Length ?? 0); i++)
        {
            if (_logical?[i] is { } logical)
            {
                logical.Dispose();
            }
            else
            {
                _columns![i].Dispose();
            }
        }

        _columns = null;
        _logical = null;
    }

    /// <summary>The values that are the same for every row of the file: the source's four strings as UTF-8 (a chunk of each), and the ingestion time.</summary>
    private sealed class ConstantColumns
    {
        private readonly Utf8Values[] _encoded;
        private readonly ByteArray[][] _repeated;

        public ConstantColumns(ObjectRef source, DateTime ingestedAt)
        {
            Values = [source.Store, source.Container, source.Key, source.Version];
            _encoded = [.. Values.Select(_ => new Utf8Values())];
            _repeated = [.. Values.Select((value, i) =>
            {
                var repeated = new ByteArray[ChunkRows];
                if (value is not null)
                {
                    Array.Fill(repeated, _encoded[i].Encode([value])[0]);
                }

                return repeated;
            })];
            IngestedAt = new DateTime[ChunkRows];
            Array.Fill(IngestedAt, ingestedAt);
        }

        /// <summary>store, container, key, version (null when the store has none).</summary>
        public string?[] Values { get; }

        public DateTime[] IngestedAt { get; }

        public ReadOnlySpan<ByteArray> Repeated(int index) => _repeated[index];
    }
}
