using System.Text.Json;

namespace ToxicFunctions.Lake;

/// <summary>
/// The raw zone's table of comments, one row per accepted CSV record of an ingested object: its text and label, where
/// it came from (store, container, key, version, line) and when it was ingested. The schema of version 0's metaData
/// and of every data file, in Delta's types: string, integer, long, timestamp (microseconds, UTC).
/// </summary>
public static class RawCommentsTable
{
    /// <summary>The columns, in order: name, Delta type, nullable.</summary>
    public static readonly IReadOnlyList<(string Name, string Type, bool Nullable)> Columns =
    [
        ("comment_text", "string", true),
        ("labels", "integer", true),
        ("source_store", "string", true),
        ("source_container", "string", true),
        ("source_key", "string", true),
        ("source_version", "string", true),
        ("line_number", "long", false),
        ("ingested_at", "timestamp", false),
    ];

    /// <summary>The schema as Delta's <c>schemaString</c>: a JSON struct type.</summary>
    public static string SchemaString { get; } = JsonSerializer.Serialize(new
    {
        type = "struct",
        fields = Columns.Select(c => new { name = c.Name, type = c.Type, nullable = c.Nullable, metadata = new { } }),
    });

    /// <summary>Version 0's protocol (reader 1, writer 2: no table features) and metadata actions for a new table.</summary>
    public static IReadOnlyList<DeltaAction> Create(DateTimeOffset now) =>
    [
        new() { Protocol = new DeltaProtocol(1, 2) },
        new()
        {
            MetaData = new DeltaMetadata(
                Guid.NewGuid().ToString(),
                new DeltaFormat("parquet", new Dictionary<string, string>()),
                SchemaString,
                [],
                new Dictionary<string, string>(),
                now.ToUnixTimeMilliseconds()),
        },
    ];
}
