using System.Runtime.InteropServices;
using ParquetSharp;

namespace ToxicFunctions.Lake;

/// <summary>
/// Writes a <see cref="DeltaSnapshot"/> as a classic checkpoint file (<see cref="DeltaCheckpoint"/>): one row per
/// action in the order protocol, metaData, txn, add, remove. Columns are written with explicit definition and
/// repetition levels (Dremel encoding), since each row sets one of five nullable structs and maps and lists nest
/// below them.
/// </summary>
internal static class DeltaCheckpointWriter
{
    /// <summary>Writes the checkpoint of <paramref name="snapshot"/> to the local file <paramref name="path"/>.</summary>
    /// <returns>The <c>_last_checkpoint</c> record of the file.</returns>
    /// <exception cref="InvalidOperationException">The snapshot has no protocol or metadata (no commit applied).</exception>
    public static DeltaLastCheckpoint Write(DeltaSnapshot snapshot, string path)
    {
        if (snapshot.Protocol is null || snapshot.Metadata is null)
        {
            throw new InvalidOperationException("A checkpoint needs a snapshot with a protocol and metadata.");
        }

        var actions = new List<DeltaAction> { new() { Protocol = snapshot.Protocol }, new() { MetaData = snapshot.Metadata } };
        actions.AddRange(snapshot.Transactions.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new DeltaAction { Txn = new DeltaTransaction(t.Key, t.Value, null) }));
        actions.AddRange(snapshot.Files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new DeltaAction { Add = f.Value }));
        actions.AddRange(snapshot.Tombstones.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new DeltaAction { Remove = f.Value }));

        Leaf[] leaves =
        [
            Leaf.Scalar(a => a.Txn, n => ((DeltaTransaction)n).AppId),
            Leaf.Scalar(a => a.Txn, n => ((DeltaTransaction)n).Version),
            Leaf.Scalar(a => a.Txn, n => ((DeltaTransaction)n).LastUpdated),
            Leaf.Scalar(a => a.Add, n => ((DeltaAddFile)n).Path),
            Leaf.MapKeys(a => a.Add, n => ((DeltaAddFile)n).PartitionValues),
            Leaf.MapValues(a => a.Add, n => ((DeltaAddFile)n).PartitionValues),
            Leaf.Scalar(a => a.Add, n => ((DeltaAddFile)n).Size),
            Leaf.Scalar(a => a.Add, n => ((DeltaAddFile)n).ModificationTime),
            Leaf.Scalar(a => a.Add, n => ((DeltaAddFile)n).DataChange),
            Leaf.Scalar(a => a.Add, n => ((DeltaAddFile)n).Stats),
            Leaf.MapKeys(a => a.Add, _ => null),
            Leaf.MapValues(a => a.Add, _ => null),
            Leaf.Scalar(a => a.Remove, n => ((DeltaRemoveFile)n).Path),
            Leaf.Scalar(a => a.Remove, n => ((DeltaRemoveFile)n).DeletionTimestamp),
            Leaf.Scalar(a => a.Remove, n => ((DeltaRemoveFile)n).DataChange),
            Leaf.Scalar(a => a.Remove, n => ((DeltaRemoveFile)n).ExtendedFileMetadata),
            Leaf.MapKeys(a => a.Remove, n => ((DeltaRemoveFile)n).PartitionValues),
            Leaf.MapValues(a => a.Remove, n => ((DeltaRemoveFile)n).PartitionValues),
            Leaf.Scalar(a => a.Remove, n => ((DeltaRemoveFile)n).Size),
            Leaf.Scalar(a => a.MetaData, n => ((DeltaMetadata)n).Id),
            Leaf.Scalar(a => a.MetaData, _ => null),
            Leaf.Scalar(a => a.MetaData, _ => null),
            Leaf.Scalar(a => a.MetaData, n => ((DeltaMetadata)n).Format, n => ((DeltaFormat)n).Provider),
            Leaf.MapKeys(a => a.MetaData, n => ((DeltaMetadata)n).Format, n => ((DeltaFormat)n).Options),
            Leaf.MapValues(a => a.MetaData, n => ((DeltaMetadata)n).Format, n => ((DeltaFormat)n).Options),
            Leaf.Scalar(a => a.MetaData, n => ((DeltaMetadata)n).SchemaString),
            Leaf.ListElements(a => a.MetaData, n => ((DeltaMetadata)n).PartitionColumns),
            Leaf.MapKeys(a => a.MetaData, n => ((DeltaMetadata)n).Configuration),
            Leaf.MapValues(a => a.MetaData, n => ((DeltaMetadata)n).Configuration),
            Leaf.Scalar(a => a.MetaData, n => ((DeltaMetadata)n).CreatedTime),
            Leaf.Scalar(a => a.Protocol, n => ((DeltaProtocol)n).MinReaderVersion),
            Leaf.Scalar(a => a.Protocol, n => ((DeltaProtocol)n).MinWriterVersion),
        ];

        foreach (var action in actions)
        {
            foreach (var leaf in leaves)
            {
                leaf.Add(action);
            }
        }

        using (var schema = DeltaCheckpoint.Schema())
        using (var properties = new WriterPropertiesBuilder().Compression(Compression.Snappy).CreatedBy("toxicfunctions").Build())
        using (var file = new ParquetFileWriter(path, schema, properties))
        {
            using (var group = file.AppendRowGroup())
            using (var strings = new ByteBuffer(1 << 16))
            {
                foreach (var leaf in leaves)
                {
                    using var column = group.NextColumn();
                    leaf.Write(column, strings);
                }
            }

            file.Close();
        }

        return new DeltaLastCheckpoint(snapshot.Version, actions.Count, new FileInfo(path).Length, snapshot.Files.Count);
    }

    /// <summary>
    /// One leaf column: its definition and repetition levels and its non-null values, row by row. A leaf sits below a
    /// chain of optional groups (the action's struct, and for format its inner struct); a map's key and value leaves and
    /// a list's element leaf add an optional group and a repeated one.
    /// </summary>
    private sealed class Leaf
    {
        private readonly Func<object, object?>[] _chain;
        private readonly Func<object, object?> _get;
        private readonly Kind _kind;
        private readonly List<short> _definition = [];
        private readonly List<short> _repetition = [];
        private readonly List<object> _values = [];

        private Leaf(Func<DeltaAction, object?> top, Func<object, object?>? inner, Func<object, object?> get, Kind kind)
        {
            _chain = inner is null ? [o => top((DeltaAction)o)] : [o => top((DeltaAction)o), inner];
            _get = get;
            _kind = kind;
        }

        private enum Kind
        {
            Scalar,
            MapKeys,
            MapValues,
            ListElements,
        }

        public static Leaf Scalar(Func<DeltaAction, object?> top, Func<object, object?> get) => new(top, null, get, Kind.Scalar);

        public static Leaf Scalar(Func<DeltaAction, object?> top, Func<object, object?> inner, Func<object, object?> get) => new(top, inner, get, Kind.Scalar);

        public static Leaf MapKeys(Func<DeltaAction, object?> top, Func<object, object?> get) => new(top, null, get, Kind.MapKeys);

        public static Leaf MapKeys(Func<DeltaAction, object?> top, Func<object, object?> inner, Func<object, object?> get) => new(top, inner, get, Kind.MapKeys);

        public static Leaf MapValues(Func<DeltaAction, object?> top, Func<object, object?> get) => new(top, null, get, Kind.MapValues);

        public static Leaf MapValues(Func<DeltaAction, object?> top, Func<object, object?> inner, Func<object, object?> get) => new(top, inner, get, Kind.MapValues);

        public static Leaf ListElements(Func<DeltaAction, object?> top, Func<object, object?> get) => new(top, null, get, Kind.ListElements);

        public void Add(DeltaAction action)
        {
            object node = action;
            short level = 0;
            foreach (var link in _chain)
            {
                if (link(node) is not { } next)
                {
                    Emit(level, 0, null);
                    return;
                }

                node = next;
                level++;
            }

            var value = _get(node);
            switch (_kind)
            {
                case Kind.Scalar:
                    Emit(value is null ? level : (short)(level + 1), 0, value);
                    break;
                case Kind.ListElements when value is IReadOnlyList<string> list:
                    EmitRepeated(level, [.. list.Cast<object?>()]);
                    break;
                case Kind.MapKeys when value is IReadOnlyDictionary<string, string> map:
                    EmitRepeated(level, [.. map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (object?)p.Key)], required: true);
                    break;
                case Kind.MapValues when value is IReadOnlyDictionary<string, string> map:
                    EmitRepeated(level, [.. map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (object?)p.Value)]);
                    break;
                default:
                    Emit(level, 0, null); // the map or list itself is null
                    break;
            }
        }

        public void Write(ColumnWriter column, ByteBuffer strings)
        {
            var count = _definition.Count;
            var definition = _definition.ToArray();
            var repetition = _repetition.ToArray();
            switch (column)
            {
                case ColumnWriter<ByteArray> writer:
                    writer.WriteBatch(count, definition, repetition, _values.Select(v => Utf8(strings, (string)v)).ToArray());
                    break;
                case ColumnWriter<long> writer:
                    writer.WriteBatch(count, definition, repetition, _values.Select(Convert.ToInt64).ToArray());
                    break;
                case ColumnWriter<int> writer:
                    writer.WriteBatch(count, definition, repetition, _values.Select(Convert.ToInt32).ToArray());
                    break;
                case ColumnWriter<bool> writer:
                    writer.WriteBatch(count, definition, repetition, _values.Select(Convert.ToBoolean).ToArray());
                    break;
                default:
                    throw new InvalidOperationException($"No writer for the column type {column.ElementType}.");
            }
        }

        private static ByteArray Utf8(ByteBuffer buffer, string value)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(value);
            var array = buffer.Allocate(bytes.Length);
            if (bytes.Length > 0)
            {
                Marshal.Copy(bytes, 0, array.Pointer, bytes.Length);
            }

            return array;
        }

        // A map or list below `level` optional groups: itself optional (+1), its repeated group (+1), then the leaf (+1 when optional and set).
        private void EmitRepeated(short level, List<object?> items, bool required = false)
        {
            if (items.Count == 0)
            {
                Emit((short)(level + 1), 0, null);
                return;
            }

            for (var i = 0; i < items.Count; i++)
            {
                var repetition = (short)(i == 0 ? 0 : 1);
                var set = items[i] is not null;
                Emit((short)(level + 2 + (set && !required ? 1 : 0)), repetition, items[i]);
            }
        }

        private void Emit(short definition, short repetition, object? value)
        {
            _definition.Add(definition);
            _repetition.Add(repetition);
            if (value is not null)
            {
                _values.Add(value);
            }
        }
    }
}
