using System.Globalization;
using ParquetSharp;
using ParquetSharp.Schema;

namespace ToxicFunctions.Lake;

/// <summary>
/// Classic single-file checkpoints of a Delta log: <c>_delta_log/N.checkpoint.parquet</c> (N zero-padded to 20 digits)
/// holds the table's state at version N, one action per row (protocol, metaData, every txn, every live add and the
/// tombstones), each row with exactly one of the top-level struct columns set; <c>_delta_log/_last_checkpoint</c>
/// names the newest. A reader starts from a checkpoint and replays only the commits after it. Writers of this project
/// write one after every <see cref="Interval"/>-th commit (<see cref="DeltaTable.CommitAsync"/>).
/// </summary>
/// <remarks>Source: github.com/delta-io/delta PROTOCOL.md, "Checkpoints" and "Last Checkpoint File"; the column layout
/// is Spark's (all fields nullable; maps as <c>key_value</c> groups, lists as <c>list.element</c>).</remarks>
public static class DeltaCheckpoint
{
    /// <summary>A checkpoint is written after each commit whose version is a positive multiple of this: 10, Delta's default.</summary>
    public const int Interval = 10;

    /// <summary>The name of the last-checkpoint file in the log folder.</summary>
    public const string LastCheckpointName = "_last_checkpoint";

    private const string Suffix = ".checkpoint.parquet";

    /// <summary>The key of the checkpoint at <paramref name="version"/> under <paramref name="root"/>.</summary>
    public static string Key(string root, long version) =>
        DeltaLog.FolderKey(root) + version.ToString("D20", CultureInfo.InvariantCulture) + Suffix;

    /// <summary>The key of <c>_last_checkpoint</c> under <paramref name="root"/>.</summary>
    public static string LastCheckpointKey(string root) => DeltaLog.FolderKey(root) + LastCheckpointName;

    /// <summary>The version of a single-file checkpoint's key, or null for any other key (commits, multi-part checkpoints, ...).</summary>
    public static long? Version(string key)
    {
        var name = key[(key.LastIndexOf('/') + 1)..];
        return name.Length == 20 + Suffix.Length && name.EndsWith(Suffix, StringComparison.Ordinal)
            && long.TryParse(name.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : null;
    }

    /// <summary>The schema of a checkpoint file as Spark writes it (the columns this project reads and writes).</summary>
    internal static GroupNode Schema() => new(
        "spark_schema",
        Repetition.Required,
        [
            Struct("txn", String("appId"), Int64("version"), Int64("lastUpdated")),
            Struct(
                "add", String("path"), Map("partitionValues"), Int64("size"), Int64("modificationTime"), Boolean("dataChange"),
                String("stats"), Map("tags")),
            Struct(
                "remove", String("path"), Int64("deletionTimestamp"), Boolean("dataChange"), Boolean("extendedFileMetadata"),
                Map("partitionValues"), Int64("size")),
            Struct(
                "metaData", String("id"), String("name"), String("description"), Struct("format", String("provider"), Map("options")),
                String("schemaString"), List("partitionColumns"), Map("configuration"), Int64("createdTime")),
            Struct("protocol", Int32("minReaderVersion"), Int32("minWriterVersion")),
        ],
        null);

    private static GroupNode Struct(string name, params Node[] fields) => new(name, Repetition.Optional, fields, null);

    private static PrimitiveNode String(string name) => new(name, Repetition.Optional, LogicalType.String(), PhysicalType.ByteArray);

    private static PrimitiveNode Int64(string name) => new(name, Repetition.Optional, LogicalType.None(), PhysicalType.Int64);

    private static PrimitiveNode Int32(string name) => new(name, Repetition.Optional, LogicalType.None(), PhysicalType.Int32);

    private static PrimitiveNode Boolean(string name) => new(name, Repetition.Optional, LogicalType.None(), PhysicalType.Boolean);

    private static GroupNode Map(string name) => new(
        name,
        Repetition.Optional,
        [
            new GroupNode(
                "key_value",
                Repetition.Repeated,
                [new PrimitiveNode("key", Repetition.Required, LogicalType.String(), PhysicalType.ByteArray), String("value")],
                null),
        ],
        LogicalType.Map());

    private static GroupNode List(string name) => new(
        name, Repetition.Optional, [new GroupNode("list", Repetition.Repeated, [String("element")], null)], LogicalType.List());
}
