using ParquetSharp;
using ParquetSharp.Schema;

namespace ToxicFunctions.Lake;

/// <summary>
/// Copies the rows of Parquet files with one flat schema (no nested or repeated columns) into one new Parquet file, in
/// order, whatever the column types: each column is read and written with its own logical type, so values, nulls and
/// timestamps come out as they went in. Rows are written in row groups of up to <see cref="RawCommentsFile.RowGroupRows"/>.
/// </summary>
/// <remarks>Not thread-safe.</remarks>
internal sealed class ParquetRowCopier : IDisposable
{
    private readonly string _path;
    private ParquetFileWriter? _writer;
    private GroupNode? _schema;
    private ColumnBuffer[] _buffers = [];
    private int _buffered;

    /// <summary>Starts the output file at <paramref name="path"/> (created with the first input's schema).</summary>
    public ParquetRowCopier(string path) => _path = path;

    /// <summary>Rows copied so far.</summary>
    public long Rows { get; private set; }

    /// <summary>Whether a file with <paramref name="schema"/> can be copied into this one: the first file's schema, or an equal one.</summary>
    public bool Accepts(SchemaDescriptor schema) => _schema is null || _schema.Equals(schema.GroupNode);

    /// <summary>Appends every row of the local Parquet file at <paramref name="path"/>.</summary>
    /// <exception cref="NotSupportedException">The file has nested or repeated columns.</exception>
    /// <exception cref="InvalidDataException">Its schema differs from the first file's.</exception>
    public void Append(string path)
    {
        using var reader = new ParquetFileReader(path);
        var schema = reader.FileMetaData.Schema;
        for (var i = 0; i < schema.NumColumns; i++)
        {
            var column = schema.Column(i);
            if (column.MaxRepetitionLevel > 0 || column.Path.ToDotVector().Length > 1)
            {
                throw new NotSupportedException($"{path}: column {column.Path.ToDotString()} is nested or repeated; only flat schemas are copied.");
            }
        }

        if (_writer is null)
        {
            _schema = (GroupNode)schema.GroupNode.DeepClone();
            using var properties = DataFileFormat.Properties();
            _writer = new ParquetFileWriter(_path, _schema, properties);
        }
        else if (!Accepts(schema))
        {
            throw new InvalidDataException($"{path} has another schema than the files before it.");
        }

        for (var g = 0; g < reader.FileMetaData.NumRowGroups; g++)
        {
            using var group = reader.RowGroup(g);
            var rows = checked((int)group.MetaData.NumRows);
            var offset = 0;
            while (offset < rows)
            {
                var take = Math.Min(rows - offset, RawCommentsFile.RowGroupRows - _buffered);
                if (_buffers.Length == 0)
                {
                    _buffers = new ColumnBuffer[schema.NumColumns];
                    for (var i = 0; i < schema.NumColumns; i++)
                    {
                        using var column = group.Column(i).LogicalReader();
                        _buffers[i] = column.Apply(ColumnBufferFactory.Instance);
                    }
                }

                for (var i = 0; i < schema.NumColumns; i++)
                {
                    using var column = group.Column(i).LogicalReader();
                    _buffers[i].Read(column, offset, take);
                }

                offset += take;
                _buffered += take;
                Rows += take;
                if (_buffered == RawCommentsFile.RowGroupRows)
                {
                    Flush();
                }
            }
        }
    }

    /// <summary>Writes the last row group and the footer.</summary>
    /// <exception cref="InvalidOperationException">No file was appended.</exception>
    public void Complete()
    {
        if (_writer is null)
        {
            throw new InvalidOperationException("No file was appended.");
        }

        Flush();
        _writer.Close();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _writer?.Dispose();
        _schema?.Dispose();
    }

    private void Flush()
    {
        if (_buffered == 0)
        {
            return;
        }

        using var group = _writer!.AppendRowGroup();
        foreach (var buffer in _buffers)
        {
            using var column = group.NextColumn().LogicalWriter();
            buffer.Write(column);
        }

        _buffered = 0;
    }

    /// <summary>The values of one column waiting for the next row group, in the column's logical element type.</summary>
    private abstract class ColumnBuffer
    {
        public abstract void Read(LogicalColumnReader reader, int skip, int count);

        public abstract void Write(LogicalColumnWriter writer);
    }

    private sealed class ColumnBuffer<T> : ColumnBuffer
    {
        private readonly List<T> _values = [];

        public override void Read(LogicalColumnReader reader, int skip, int count)
        {
            var typed = (LogicalColumnReader<T>)reader;
            typed.Skip(skip);
            var values = new T[count];
            var read = 0;
            while (read < count)
            {
                var n = typed.ReadBatch(values, read, count - read);
                if (n == 0)
                {
                    throw new InvalidDataException($"A Parquet column ended after {skip + read} of {skip + count} rows.");
                }

                read += n;
            }

            _values.AddRange(values);
        }

        public override void Write(LogicalColumnWriter writer)
        {
            ((LogicalColumnWriter<T>)writer).WriteBatch(_values.ToArray());
            _values.Clear();
        }
    }

    private sealed class ColumnBufferFactory : ILogicalColumnReaderVisitor<ColumnBuffer>
    {
        public static readonly ColumnBufferFactory Instance = new();

        public ColumnBuffer OnLogicalColumnReader<TValue>(LogicalColumnReader<TValue> columnReader) => new ColumnBuffer<TValue>();
    }
}
