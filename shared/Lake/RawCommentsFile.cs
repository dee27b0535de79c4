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
    private readonly ConstantColumns _constants;
    private RowGroupWriter? _group;
    private LogicalColumnWriter[]? _columns;
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
        _constants = ConstantColumns.For(source, _ingestedAt);
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
        foreach (var column in _columns ?? [])
        {
            column.Dispose();
        }

        _group?.Dispose();
        _writer.Dispose();
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
            // The columns' writers stay open for the row group: a buffered row group takes them in any order.
            _group = _writer.AppendBufferedRowGroup();
            _columns = [.. Enumerable.Range(0, s_columns.Length).Select(i => _group.Column(i).LogicalWriter())];
        }

        ((LogicalColumnWriter<string>)_columns![0]).WriteBatch(CollectionsMarshal.AsSpan(_texts));
        ((LogicalColumnWriter<int?>)_columns[1]).WriteBatch(CollectionsMarshal.AsSpan(_labels));
        ((LogicalColumnWriter<string>)_columns[2]).WriteBatch(_constants.Store.AsSpan(0, count));
        ((LogicalColumnWriter<string>)_columns[3]).WriteBatch(_constants.Container.AsSpan(0, count));
        ((LogicalColumnWriter<string>)_columns[4]).WriteBatch(_constants.Key.AsSpan(0, count));
        ((LogicalColumnWriter<string?>)_columns[5]).WriteBatch(_constants.Version.AsSpan(0, count));
        ((LogicalColumnWriter<long>)_columns[6]).WriteBatch(CollectionsMarshal.AsSpan(_lines));
        ((LogicalColumnWriter<DateTime>)_columns[7]).WriteBatch(_constants.IngestedAt.AsSpan(0, count));
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

    private void CloseGroup()
    {
        if (_group is { } group)
        {
            foreach (var column in _columns!)
            {
                column.Dispose();
            }

            group.Close();
            group.Dispose();
            _group = null;
            _columns = null;
            _groupRows = 0;
        }
    }

    /// <summary>The values that are the same for every row of the file, a chunk long.</summary>
    private sealed record ConstantColumns(string[] Store, string[] Container, string[] Key, string?[] Version, DateTime[] IngestedAt)
    {
        public static ConstantColumns For(ObjectRef source, DateTime ingestedAt) => new(
            Filled(source.Store), Filled(source.Container), Filled(source.Key), Filled(source.Version), Filled(ingestedAt));

        private static T[] Filled<T>(T value)
        {
            var values = new T[ChunkRows];
            Array.Fill(values, value);
            return values;
        }
    }
}
