using System.Globalization;
using ParquetSharp;
using ToxicFunctions.Csv;

namespace ToxicFunctions.Lake;

/// <summary>
/// Reads comments from a Parquet file with the columns <c>comment_text</c> (string) and <c>labels</c> (int32, int64,
/// boolean or a string "0"/"1"), as the original project's Spark job and this project's lake wrote them; other columns
/// are ignored. A record's line number is its 1-based row number in the file. A row with a null text or a label other
/// than 0 and 1 is rejected with its row number, and the rest still load.
/// </summary>
public sealed class ParquetCommentReader : IDisposable
{
    private readonly ParquetFileReader _file;
    private readonly int _text;
    private readonly int _labels;
    private int _group = -1;
    private string?[] _texts = [];
    private object?[] _labelValues = [];
    private int _next;
    private long _row;

    /// <summary>Opens a local Parquet file.</summary>
    /// <exception cref="InvalidDataException">Not a Parquet file, or no comment_text or labels column of a usable type.</exception>
    public ParquetCommentReader(string path)
    {
        try
        {
            _file = new ParquetFileReader(path);
        }
        catch (ParquetException e)
        {
            throw new InvalidDataException($"Not a readable Parquet file: {e.Message}", e);
        }

        var schema = _file.FileMetaData.Schema;
        _text = Column(schema, CommentCsvReader.TextColumn);
        _labels = Column(schema, CommentCsvReader.LabelColumn);
        if (schema.Column(_text).PhysicalType != PhysicalType.ByteArray)
        {
            _file.Dispose();
            throw new InvalidDataException($"Parquet column {CommentCsvReader.TextColumn} is {schema.Column(_text).PhysicalType}, not a string.");
        }

        if (schema.Column(_labels).PhysicalType is not (PhysicalType.Int32 or PhysicalType.Int64 or PhysicalType.Boolean or PhysicalType.ByteArray))
        {
            _file.Dispose();
            throw new InvalidDataException($"Parquet column {CommentCsvReader.LabelColumn} is {schema.Column(_labels).PhysicalType}: use int32, int64, boolean or string.");
        }

        int Column(SchemaDescriptor schema, string name)
        {
            var index = schema.ColumnIndex(name);
            if (index < 0)
            {
                var columns = string.Join(", ", Enumerable.Range(0, schema.NumColumns).Select(i => schema.Column(i).Path.ToDotString()));
                _file.Dispose();
                throw new InvalidDataException($"The Parquet file has no column {name} (it has {columns}).");
            }

            return index;
        }
    }

    /// <summary>Rows in the file.</summary>
    public long Rows => _file.FileMetaData.NumRows;

    /// <summary>Reads up to <paramref name="count"/> rows into the accepted and rejected lists; false when the file is done.</summary>
    public bool Read(List<CommentRecord> records, List<RejectedRecord> rejected, int count)
    {
        var read = 0;
        while (read < count)
        {
            if (_next == _texts.Length && !NextGroup())
            {
                break;
            }

            var text = _texts[_next];
            var label = _labelValues[_next];
            _next++;
            _row++;
            read++;
            if (text is null)
            {
                rejected.Add(new RejectedRecord(_row, $"row {_row}: {CommentCsvReader.TextColumn} is null", ""));
            }
            else if (Label(label) is { } value)
            {
                records.Add(new CommentRecord(_row, text, value));
            }
            else
            {
                rejected.Add(new RejectedRecord(
                    _row, $"row {_row}: {CommentCsvReader.LabelColumn} must be 0 or 1, not {Convert.ToString(label, CultureInfo.InvariantCulture) ?? "null"}", text));
            }
        }

        return read > 0;
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();

    private static short? Label(object? value) => value switch
    {
        int i when i is 0 or 1 => (short)i,
        long l when l is 0 or 1 => (short)l,
        bool b => b ? (short)1 : (short)0,
        string s when s.Trim() is "0" or "1" => short.Parse(s.Trim(), CultureInfo.InvariantCulture),
        _ => null,
    };

    private bool NextGroup()
    {
        if (++_group >= _file.FileMetaData.NumRowGroups)
        {
            return false;
        }

        using var group = _file.RowGroup(_group);
        var rows = checked((int)group.MetaData.NumRows);
        _texts = ReadColumn<string?>(group, _text, rows);
        var descriptor = _file.FileMetaData.Schema.Column(_labels);
        var optional = descriptor.MaxDefinitionLevel > 0;
        _labelValues = descriptor.PhysicalType switch
        {
            PhysicalType.Int32 => optional ? Box(ReadColumn<int?>(group, _labels, rows)) : Box(ReadColumn<int>(group, _labels, rows)),
            PhysicalType.Int64 => optional ? Box(ReadColumn<long?>(group, _labels, rows)) : Box(ReadColumn<long>(group, _labels, rows)),
            PhysicalType.Boolean => optional ? Box(ReadColumn<bool?>(group, _labels, rows)) : Box(ReadColumn<bool>(group, _labels, rows)),
            _ => Box(ReadColumn<string?>(group, _labels, rows)),
        };
        _next = 0;
        return true;
    }

    private static object?[] Box<T>(T[] values) => Array.ConvertAll(values, v => (object?)v);

    private static T[] ReadColumn<T>(RowGroupReader group, int column, int rows)
    {
        using var reader = group.Column(column).LogicalReader<T>();
        return reader.ReadAll(rows);
    }
}
