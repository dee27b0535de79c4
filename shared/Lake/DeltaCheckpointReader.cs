using System.Runtime.InteropServices;
using ParquetSharp;

namespace ToxicFunctions.Lake;

/// <summary>
/// Reads the actions of a classic checkpoint file (<see cref="DeltaCheckpoint"/>) written by this project, Spark or
/// delta-rs: columns are found by their path, so columns it does not know (add.tags, add.stats_parsed,
/// add.deletionVector, protocol.readerFeatures, ...) are ignored and optional ones it knows may be missing.
/// </summary>
internal static class DeltaCheckpointReader
{
    /// <summary>The actions in the local checkpoint file at <paramref name="path"/>, in file order.</summary>
    /// <exception cref="InvalidDataException">Not a readable Parquet file, or an action without a required field (an add without path, ...).</exception>
    public static IReadOnlyList<DeltaAction> Read(string path)
    {
        try
        {
            using var file = new ParquetFileReader(path);
            var schema = file.FileMetaData.Schema;
            var columns = Enumerable.Range(0, schema.NumColumns).ToDictionary(i => schema.Column(i).Path.ToDotString(), i => i, StringComparer.Ordinal);
            var actions = new List<DeltaAction>();
            for (var g = 0; g < file.FileMetaData.NumRowGroups; g++)
            {
                using var group = file.RowGroup(g);
                var rows = checked((int)group.MetaData.NumRows);
                var read = new Dictionary<string, Cell[][]>(StringComparer.Ordinal);
                Cell[][]? Leaf(string dotPath) => columns.TryGetValue(dotPath, out var index)
                    ? read.TryGetValue(dotPath, out var cells) ? cells : read[dotPath] = ReadColumn(group, index, schema.Column(index), rows)
                    : null;
                Cell[][]? Child(string prefix) => columns.Keys.FirstOrDefault(k => k.StartsWith(prefix + ".", StringComparison.Ordinal)) is { } key ? Leaf(key) : null;
                Cell[][]? MapPart(string map, string part) =>
                    columns.Keys.FirstOrDefault(k => k.StartsWith(map + ".", StringComparison.Ordinal) && k.EndsWith("." + part, StringComparison.Ordinal)) is { } key ? Leaf(key) : null;

                for (var r = 0; r < rows; r++)
                {
                    if (Present(Child("txn"), r))
                    {
                        actions.Add(new DeltaAction
                        {
                            Txn = new DeltaTransaction(Required<string>(Leaf("txn.appId"), r, "txn.appId"), Required<long>(Leaf("txn.version"), r, "txn.version"), Value<long>(Leaf("txn.lastUpdated"), r)),
                        });
                    }
                    else if (Present(Child("add"), r))
                    {
                        actions.Add(new DeltaAction
                        {
                            Add = new DeltaAddFile(
                                Required<string>(Leaf("add.path"), r, "add.path"),
                                Map(MapPart("add.partitionValues", "key"), MapPart("add.partitionValues", "value"), r) ?? new Dictionary<string, string>(),
                                Value<long>(Leaf("add.size"), r) ?? 0,
                                Value<long>(Leaf("add.modificationTime"), r) ?? 0,
                                Value<bool>(Leaf("add.dataChange"), r) ?? false,
                                Text(Leaf("add.stats"), r)),
                        });
                    }
                    else if (Present(Child("remove"), r))
                    {
                        actions.Add(new DeltaAction
                        {
                            Remove = new DeltaRemoveFile(
                                Required<string>(Leaf("remove.path"), r, "remove.path"),
                                Value<long>(Leaf("remove.deletionTimestamp"), r),
                                Value<bool>(Leaf("remove.dataChange"), r) ?? false,
                                Value<bool>(Leaf("remove.extendedFileMetadata"), r),
                                Map(MapPart("remove.partitionValues", "key"), MapPart("remove.partitionValues", "value"), r),
                                Value<long>(Leaf("remove.size"), r)),
                        });
                    }
                    else if (Present(Child("metaData"), r))
                    {
                        actions.Add(new DeltaAction
                        {
                            MetaData = new DeltaMetadata(
                                Required<string>(Leaf("metaData.id"), r, "metaData.id"),
                                new DeltaFormat(
                                    Text(Leaf("metaData.format.provider"), r) ?? "parquet",
                                    Map(MapPart("metaData.format.options", "key"), MapPart("metaData.format.options", "value"), r) ?? new Dictionary<string, string>()),
                                Required<string>(Leaf("metaData.schemaString"), r, "metaData.schemaString"),
                                List(Child("metaData.partitionColumns"), r),
                                Map(MapPart("metaData.configuration", "key"), MapPart("metaData.configuration", "value"), r) ?? new Dictionary<string, string>(),
                                Value<long>(Leaf("metaData.createdTime"), r)),
                        });
                    }
                    else if (Present(Child("protocol"), r))
                    {
                        actions.Add(new DeltaAction
                        {
                            Protocol = new DeltaProtocol(
                                Required<int>(Leaf("protocol.minReaderVersion"), r, "protocol.minReaderVersion"),
                                Required<int>(Leaf("protocol.minWriterVersion"), r, "protocol.minWriterVersion")),
                        });
                    }
                }
            }

            return actions;
        }
        catch (ParquetException e)
        {
            throw new InvalidDataException($"{path} is not a readable checkpoint: {e.Message}", e);
        }
    }

    // A struct is set in a row when the first leaf below it is defined at least to the struct's level (1).
    private static bool Present(Cell[][]? cells, int row) => cells is not null && cells[row][0].Definition >= 1;

    private static T? Value<T>(Cell[][]? cells, int row)
        where T : struct => cells?[row][0].Value is T value ? value : null;

    private static string? Text(Cell[][]? cells, int row) => cells?[row][0].Value as string;

    private static T Required<T>(Cell[][]? cells, int row, string name) => cells?[row][0].Value is T value
        ? value
        : throw new InvalidDataException($"Checkpoint row {row}: {name} is missing.");

    private static List<string> List(Cell[][]? elements, int row) =>
        elements is null ? [] : [.. elements[row].Select(c => c.Value).OfType<string>()];

    private static Dictionary<string, string>? Map(Cell[][]? keys, Cell[][]? values, int row)
    {
        if (keys is null || keys[row][0].Definition < keys[row][0].MapLevel)
        {
            return null;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < keys[row].Length; i++)
        {
            if (keys[row][i].Value is string key)
            {
                map[key] = values?[row][i].Value as string ?? "";
            }
        }

        return map;
    }

    /// <summary>Every level entry of a leaf column, grouped by row (a new row where the repetition level is 0).</summary>
    private static Cell[][] ReadColumn(RowGroupReader group, int index, ColumnDescriptor descriptor, int rows)
    {
        var maxDefinition = descriptor.MaxDefinitionLevel;
        var maxRepetition = descriptor.MaxRepetitionLevel;
        // A map's or list's own level: its leaf sits at most 2 levels below it (repeated group, optional leaf).
        var mapLevel = (short)(maxRepetition > 0 ? maxDefinition - (descriptor.SchemaNode.Repetition == Repetition.Optional ? 2 : 1) : 0);
        var result = new List<Cell>[rows];
        var row = -1;
        using var column = group.Column(index);
        const int batch = 4096;
        var definition = new short[batch];
        var repetition = new short[batch];
        while (column.HasNext)
        {
            var values = new List<object>(batch);
            long levels = column switch
            {
                ColumnReader<ByteArray> r => ReadBatch(r, definition, repetition, values, a => a.Length == 0 ? "" : Marshal.PtrToStringUTF8(a.Pointer, a.Length)),
                ColumnReader<long> r => ReadBatch(r, definition, repetition, values, v => v),
                ColumnReader<int> r => ReadBatch(r, definition, repetition, values, v => v),
                ColumnReader<bool> r => ReadBatch(r, definition, repetition, values, v => v),
                _ => throw new InvalidDataException($"Checkpoint column {descriptor.Path.ToDotString()} has the unexpected type {column.ElementType}."),
            };
            var next = 0;
            for (var i = 0; i < levels; i++)
            {
                if (maxRepetition == 0 || repetition[i] == 0)
                {
                    row++;
                    result[row] = [];
                }

                result[row].Add(new Cell(definition[i], mapLevel, definition[i] == maxDefinition ? values[next++] : null));
            }
        }

        return row + 1 == rows
            ? [.. result.Select(cells => cells.ToArray())]
            : throw new InvalidDataException($"Checkpoint column {descriptor.Path.ToDotString()} has {row + 1} rows, not {rows}.");
    }

    private static long ReadBatch<T>(ColumnReader<T> reader, short[] definition, short[] repetition, List<object> values, Func<T, object> convert)
        where T : unmanaged
    {
        var buffer = new T[definition.Length];
        var levels = reader.ReadBatch(definition.Length, definition, repetition, buffer, out var read);
        for (var i = 0; i < read; i++)
        {
            values.Add(convert(buffer[i]));
        }

        return levels;
    }

    /// <summary>One level entry: its definition level, the level at which its map or list is set, and its value when defined to the leaf.</summary>
    private readonly record struct Cell(short Definition, short MapLevel, object? Value);
}
