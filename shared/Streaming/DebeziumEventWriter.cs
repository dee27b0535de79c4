using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ToxicFunctions.Streaming;

/// <summary>
/// Writes change events in the format of Debezium's PostgreSQL connector with the JSON converter: key = the primary
/// key columns; value = the envelope <c>{before, after, source, op, ts_ms, transaction}</c>, optionally wrapped in
/// Kafka Connect's <c>{"schema": ..., "payload": ...}</c>. Column values arrive in PostgreSQL's text format and are
/// encoded as Debezium encodes them by default: integers and booleans as JSON numbers and booleans, timestamptz as
/// ISO-8601 UTC strings (ZonedTimestamp), timestamp as epoch microseconds, date as epoch days, the rest as strings.
/// </summary>
public sealed class DebeziumEventWriter(string serverName, string database, bool includeSchema)
{
    /// <summary>The <c>source.version</c> this relay reports.</summary>
    public const string RelayVersion = "toxicfunctions-relay-1";

    // Debezium writes plain JSON; nothing here is embedded in HTML, so only what JSON requires is escaped.
    private static readonly JsonWriterOptions s_json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const uint BoolOid = 16;
    private const uint Int8Oid = 20;
    private const uint Int2Oid = 21;
    private const uint Int4Oid = 23;
    private const uint OidOid = 26;
    private const uint Float4Oid = 700;
    private const uint Float8Oid = 701;
    private const uint DateOid = 1082;
    private const uint TimestampOid = 1114;
    private const uint TimestampTzOid = 1184;
    private const uint UuidOid = 2950;

    /// <summary>
    /// Whether values of the PostgreSQL type <paramref name="typeOid"/> are written as their text, as JSON strings
    /// (text, varchar, json, numeric, uuid, ...): the text-like columns, where an unavailable value is written as
    /// Debezium's placeholder. Numbers, booleans and date/time types (never TOASTed) are not.
    /// </summary>
    public static bool IsTextLike(uint typeOid) =>
        typeOid is not (BoolOid or Int2Oid or Int4Oid or Int8Oid or OidOid or Float4Oid or Float8Oid or DateOid or TimestampOid or TimestampTzOid);

    /// <summary>The message key: the primary key columns.</summary>
    public byte[] Key(CapturedTable table, IReadOnlyList<string?> row)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer, s_json))
        {
            if (includeSchema)
            {
                json.WriteStartObject();
                json.WritePropertyName("schema");
                WriteRowSchema(json, table, table.KeyColumns, $"{serverName}.{table.Schema}.{table.Name}.Key", optional: false);
                json.WritePropertyName("payload");
            }

            WriteRow(json, table, row, table.KeyColumns);
            if (includeSchema)
            {
                json.WriteEndObject();
            }
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The message value: the change envelope. A truncate (op <c>t</c>) has neither row; with the schema wrapper its
    /// schema is the table's envelope schema, as for every other event of the table (Debezium's truncate event, whose
    /// Kafka key is null).
    /// </summary>
    /// <param name="table">The table changed.</param>
    /// <param name="op">c (create), u (update), d (delete), r (read, a snapshot row) or t (truncate).</param>
    /// <param name="before">The old row (updates and deletes under REPLICA IDENTITY FULL), else null.</param>
    /// <param name="after">The new row (creates, updates, reads), else null.</param>
    /// <param name="source">Where the change comes from.</param>
    public byte[] Value(CapturedTable table, char op, IReadOnlyList<string?>? before, IReadOnlyList<string?>? after, ChangeSource source)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, s_json))
        {
            json.WriteStartObject();
            if (includeSchema)
            {
                json.WritePropertyName("schema");
                WriteEnvelopeSchema(json, table);
                json.WritePropertyName("payload");
                json.WriteStartObject();
            }

            json.WritePropertyName("before");
            WriteRowOrNull(json, table, before);
            json.WritePropertyName("after");
            WriteRowOrNull(json, table, after);
            json.WriteStartObject("source");
            json.WriteString("version", RelayVersion);
            json.WriteString("connector", "postgresql");
            json.WriteString("name", serverName);
            json.WriteNumber("ts_ms", source.CommittedAt.ToUnixTimeMilliseconds());
            json.WriteString("snapshot", source.Snapshot);
            json.WriteString("db", database);
            json.WriteString("sequence", $"[\"{source.CommitLsn}\",\"{source.Lsn}\"]");
            json.WriteString("schema", table.Schema);
            json.WriteString("table", table.Name);
            if (source.TransactionId is { } xid)
            {
                json.WriteNumber("txId", xid);
            }
            else
            {
                json.WriteNull("txId");
            }

            json.WriteNumber("lsn", source.Lsn);
            json.WriteNull("xmin");
            json.WriteEndObject();
            json.WriteString("op", op.ToString());
            json.WriteNumber("ts_ms", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            json.WriteNull("transaction");
            json.WriteEndObject();
            if (includeSchema)
            {
                json.WriteEndObject();
            }
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteRowOrNull(Utf8JsonWriter json, CapturedTable table, IReadOnlyList<string?>? row)
    {
        if (row is null)
        {
            json.WriteNullValue();
        }
        else
        {
            WriteRow(json, table, row, null);
        }
    }

    private static void WriteRow(Utf8JsonWriter json, CapturedTable table, IReadOnlyList<string?> row, IReadOnlyList<int>? only)
    {
        json.WriteStartObject();
        var count = only?.Count ?? table.Columns.Count;
        for (var i = 0; i < count; i++)
        {
            var index = only?[i] ?? i;
            var column = table.Columns[index];
            json.WritePropertyName(column.Name);
            WriteValue(json, column.TypeOid, row[index]);
        }

        json.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter json, uint type, string? text)
    {
        if (text is null)
        {
            json.WriteNullValue();
            return;
        }

        switch (type)
        {
            case BoolOid:
                json.WriteBooleanValue(text is "t" or "true");
                break;
            case Int2Oid or Int4Oid or Int8Oid or OidOid:
                json.WriteRawValue(long.Parse(text, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
                break;
            case Float4Oid or Float8Oid when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number):
                json.WriteNumberValue(number);
                break;
            case TimestampTzOid:
                json.WriteStringValue(DateTimeOffset.Parse(text, CultureInfo.InvariantCulture).UtcDateTime
                    .ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", CultureInfo.InvariantCulture));
                break;
            case TimestampOid:
                var local = DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
                json.WriteNumberValue((local - DateTime.UnixEpoch).Ticks / 10);
                break;
            case DateOid:
                json.WriteNumberValue((DateOnly.Parse(text, CultureInfo.InvariantCulture).DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber));
                break;
            default:
                json.WriteStringValue(text);
                break;
        }
    }

    private void WriteEnvelopeSchema(Utf8JsonWriter json, CapturedTable table)
    {
        var all = Enumerable.Range(0, table.Columns.Count).ToArray();
        var rowName = $"{serverName}.{table.Schema}.{table.Name}.Value";
        json.WriteStartObject();
        json.WriteString("type", "struct");
        json.WriteBoolean("optional", false);
        json.WriteString("name", $"{serverName}.{table.Schema}.{table.Name}.Envelope");
        json.WriteStartArray("fields");
        WriteRowSchema(json, table, all, rowName, optional: true, field: "before");
        WriteRowSchema(json, table, all, rowName, optional: true, field: "after");
        json.WriteStartObject();
        json.WriteString("type", "struct");
        json.WriteBoolean("optional", false);
        json.WriteString("name", "io.debezium.connector.postgresql.Source");
        json.WriteString("field", "source");
        json.WriteStartArray("fields");
        foreach (var (name, type, optional) in new[]
        {
            ("version", "string", false), ("connector", "string", false), ("name", "string", false), ("ts_ms", "int64", false),
            ("snapshot", "string", true), ("db", "string", false), ("sequence", "string", true), ("schema", "string", false),
            ("table", "string", false), ("txId", "int64", true), ("lsn", "int64", true), ("xmin", "int64", true),
        })
        {
            WriteField(json, name, type, optional);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        WriteField(json, "op", "string", false);
        WriteField(json, "ts_ms", "int64", true);
        json.WriteStartObject();
        json.WriteString("type", "struct");
        json.WriteBoolean("optional", true);
        json.WriteString("name", "event.block");
        json.WriteString("field", "transaction");
        json.WriteStartArray("fields");
        WriteField(json, "id", "string", false);
        WriteField(json, "total_order", "int64", false);
        WriteField(json, "data_collection_order", "int64", false);
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteRowSchema(Utf8JsonWriter json, CapturedTable table, IReadOnlyList<int> columns, string name, bool optional, string? field = null)
    {
        json.WriteStartObject();
        json.WriteString("type", "struct");
        json.WriteBoolean("optional", optional);
        json.WriteString("name", name);
        if (field is not null)
        {
            json.WriteString("field", field);
        }

        json.WriteStartArray("fields");
        foreach (var index in columns)
        {
            var column = table.Columns[index];
            var (type, logical) = column.TypeOid switch
            {
                BoolOid => ("boolean", null),
                Int2Oid => ("int16", null),
                Int4Oid => ("int32", null),
                Int8Oid or OidOid => ("int64", null),
                Float4Oid => ("float", null),
                Float8Oid => ("double", null),
                TimestampTzOid => ("string", "io.debezium.time.ZonedTimestamp"),
                TimestampOid => ("int64", "io.debezium.time.MicroTimestamp"),
                DateOid => ("int32", "io.debezium.time.Date"),
                UuidOid => ("string", "io.debezium.data.Uuid"),
                _ => ("string", (string?)null),
            };
            json.WriteStartObject();
            json.WriteString("type", type);
            json.WriteBoolean("optional", !table.KeyColumns.Contains(index));
            if (logical is not null)
            {
                json.WriteString("name", logical);
                json.WriteNumber("version", 1);
            }

            json.WriteString("field", column.Name);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteField(Utf8JsonWriter json, string name, string type, bool optional)
    {
        json.WriteStartObject();
        json.WriteString("type", type);
        json.WriteBoolean("optional", optional);
        json.WriteString("field", name);
        json.WriteEndObject();
    }
}
