using System.Text.Json;

namespace ToxicFunctions.Streaming;

/// <summary>
/// Reads change events of <c>source.comments</c> in Debezium's PostgreSQL connector format, with or without the
/// Kafka Connect schema wrapper, as our relay and real Debezium 2.x write them. Tombstones (null values) give null.
/// Anything else that does not describe a comment change precisely throws <see cref="StreamEventException"/>.
/// </summary>
public static class CommentChangeParser
{
    /// <summary>The captured table.</summary>
    public const string Schema = "source";

    /// <summary>The captured table.</summary>
    public const string Table = "comments";

    private static readonly HashSet<string> s_knownColumns = ["id", "comment_text", "labels", "created_at", "updated_at"];

    /// <summary>Parses a message; null for a tombstone.</summary>
    /// <exception cref="StreamEventException">The message is not a valid change event of source.comments.</exception>
    public static CommentChange? Parse(StreamMessage message)
    {
        if (message.Value is null || message.Value.Length == 0)
        {
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(message.Value);
        }
        catch (JsonException e)
        {
            throw new StreamEventException($"invalid JSON: {e.Message}", e);
        }

        using (document)
        {
            var envelope = Unwrap(document.RootElement);
            if (envelope.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (envelope.ValueKind != JsonValueKind.Object)
            {
                throw new StreamEventException($"expected an envelope object, found {envelope.ValueKind}");
            }

            var op = RequiredString(envelope, "op");
            if (op is not ("c" or "u" or "d" or "r"))
            {
                throw new StreamEventException($"unknown op '{op}'");
            }

            var source = Required(envelope, "source", JsonValueKind.Object);
            var schema = RequiredString(source, "schema");
            var table = RequiredString(source, "table");
            if (schema != Schema || table != Table)
            {
                throw new StreamEventException($"event for {schema}.{table}, expected {Schema}.{Table}");
            }

            var lsn = Required(source, "lsn", JsonValueKind.Number);
            if (!lsn.TryGetUInt64(out var position))
            {
                throw new StreamEventException($"source.lsn {lsn.GetRawText()} is not a WAL position");
            }

            var committedAt = source.TryGetProperty("ts_ms", out var ts) && ts.TryGetInt64(out var ms)
                ? CommitTime(ms)
                : throw new StreamEventException("source.ts_ms is missing");

            var commitPosition = CommitPosition(source) ?? position;
            if (op == "d")
            {
                var before = envelope.TryGetProperty("before", out var b) && b.ValueKind == JsonValueKind.Object ? b : KeyOf(message);
                return new CommentChange(Id(before), 'd', position, committedAt, null, null, commitPosition);
            }

            var after = Required(envelope, "after", JsonValueKind.Object);
            foreach (var column in after.EnumerateObject())
            {
                if (!s_knownColumns.Contains(column.Name))
                {
                    throw new StreamEventException(
                        $"unknown column '{column.Name}' in after; source.comments has {string.Join(", ", s_knownColumns)}");
                }
            }

            var text = RequiredString(after, "comment_text");
            if (text.Contains('\0', StringComparison.Ordinal))
            {
                throw new StreamEventException("comment_text contains a NUL character, which PostgreSQL text cannot hold");
            }

            var label = Required(after, "labels", JsonValueKind.Number);
            if (!label.TryGetInt16(out var value) || value is not (0 or 1))
            {
                throw new StreamEventException($"labels must be 0 or 1, found {label.GetRawText()}");
            }

            return new CommentChange(Id(after), op[0], position, committedAt, text, value, commitPosition);
        }
    }

    private static JsonElement Unwrap(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("payload", out var payload) && root.TryGetProperty("schema", out _)
            ? payload
            : root;

    private static JsonElement KeyOf(StreamMessage message)
    {
        if (message.Key is null)
        {
            throw new StreamEventException("a delete without before and without a key");
        }

        try
        {
            using var key = JsonDocument.Parse(message.Key);
            return Unwrap(key.RootElement).Clone();
        }
        catch (JsonException e)
        {
            throw new StreamEventException($"invalid JSON key: {e.Message}", e);
        }
    }

    private static Guid Id(JsonElement row) =>
        row.ValueKind == JsonValueKind.Object && row.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            && Guid.TryParse(id.GetString(), out var guid)
            ? guid
            : throw new StreamEventException("the row has no uuid id");

    private static JsonElement Required(JsonElement element, string name, JsonValueKind kind) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == kind
            ? value
            : throw new StreamEventException($"'{name}' is missing or not a {kind}");

    private static string RequiredString(JsonElement element, string name) =>
        Required(element, name, JsonValueKind.String).TryGetText(out var text)
            ? text
            : throw new StreamEventException($"'{name}' is not valid UTF-16 text (it escapes a lone surrogate)");

    // Debezium's source.sequence: a string holding a JSON array ["<commit lsn>", "<lsn>"] of decimal LSNs (either
    // may be null). A missing or unreadable one leaves the order to source.lsn.
    private static ulong? CommitPosition(JsonElement source)
    {
        if (!source.TryGetProperty("sequence", out var sequence) || sequence.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            using var pair = JsonDocument.Parse(sequence.GetString()!);
            return pair.RootElement.ValueKind == JsonValueKind.Array && pair.RootElement.GetArrayLength() == 2
                && pair.RootElement[0].ValueKind == JsonValueKind.String
                && ulong.TryParse(pair.RootElement[0].GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var commit)
                ? commit
                : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static DateTimeOffset CommitTime(long unixMilliseconds)
    {
        try
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new StreamEventException($"source.ts_ms {unixMilliseconds} is not a time", e);
        }
    }
}
