using System.Globalization;
using System.Text.Json;

namespace ToxicFunctions.Streaming;

/// <summary>
/// Reads change events of <c>source.comments</c> in Debezium's PostgreSQL connector format, with or without the
/// Kafka Connect schema wrapper, as our relay and real Debezium 2.x write them: change event envelopes, and records
/// flattened by Debezium's <c>ExtractNewRecordState</c> SMT that carry their operation and position
/// (<c>add.fields=op,lsn</c>). Tombstones (null values) give null. Anything else that does not describe a comment
/// change precisely throws <see cref="StreamEventException"/>.
/// </summary>
public static class CommentChangeParser
{
    /// <summary>The captured table's schema.</summary>
    public const string Schema = "source";

    /// <summary>The captured table.</summary>
    public const string Table = "comments";

    /// <summary>Parses a message; null for a tombstone.</summary>
    /// <param name="message">
    /// A Kafka record of topic <c>&lt;prefix&gt;.source.comments</c>: its value is UTF-8 JSON, optionally inside the
    /// Connect schema wrapper (<c>{"schema": ..., "payload": ...}</c>), either a Debezium change event envelope (it has
    /// <c>op</c> and <c>source</c>, besides <c>before</c> and <c>after</c>) or a row flattened by
    /// <c>io.debezium.transforms.ExtractNewRecordState</c> (it has <c>id</c> or <c>comment_text</c> at the top level,
    /// plus the <c>__</c> metadata fields of <c>add.fields</c>; <c>__op</c> and <c>__lsn</c> are required, a delete is
    /// <c>__op</c> <c>d</c> or <c>"__deleted": "true"</c>). The key (<c>{"id": ...}</c>) is read only for an envelope
    /// delete without <c>before</c>; <see cref="StreamMessage.Timestamp"/> only as the commit time of a flattened row
    /// without <c>__source_ts_ms</c> or <c>__ts_ms</c> (and when it is null too, the time of reading,
    /// <see cref="DateTimeOffset.UtcNow"/>, stands in).
    /// </param>
    /// <param name="unavailableValuePlaceholder">
    /// The connector's <c>unavailable.value.placeholder</c> (<see cref="CdcOptions.UnavailableValuePlaceholder"/>): a
    /// <c>comment_text</c> exactly equal to it (ordinal) gives <see cref="CommentChange.Text"/> null with
    /// <see cref="CommentChange.TextUnavailable"/> set; the label is read as always.
    /// </param>
    /// <returns>
    /// The change: op <c>c</c>, <c>u</c> or <c>r</c> with the row's text and label; <c>d</c> with the id only; or
    /// <c>t</c> (a truncate of the whole table, envelopes only: the SMT drops truncates) with
    /// <see cref="Guid.Empty"/>, no text and no label. Positions are <c>source.lsn</c> (flattened: <c>__lsn</c>)
    /// and, for the commit, the first element of <c>source.sequence</c> (flattened: <c>__sequence</c> or
    /// <c>__source_sequence</c>), else the change's own position; the commit time is <c>source.ts_ms</c> (flattened:
    /// <c>__source_ts_ms</c>, else <c>__ts_ms</c>; both Unix milliseconds), else (flattened only) the Kafka record
    /// timestamp, else <see cref="DateTimeOffset.UtcNow"/>.
    /// </returns>
    /// <exception cref="StreamEventException">The message is not a valid change event of source.comments.</exception>
    /// <exception cref="ArgumentException"><paramref name="unavailableValuePlaceholder"/> is null or empty.</exception>
    public static CommentChange? Parse(StreamMessage message, string unavailableValuePlaceholder = CdcOptions.DefaultUnavailableValuePlaceholder)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrEmpty(unavailableValuePlaceholder);
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
            var record = Unwrap(document.RootElement);
            if (record.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (record.ValueKind != JsonValueKind.Object)
            {
                throw new StreamEventException($"expected an envelope or a flattened row object, found {record.ValueKind}");
            }

            return FlattenedRecordReader.IsFlattened(record)
                ? FlattenedRecordReader.Read(record, message, unavailableValuePlaceholder)
                : ReadEnvelope(record, message, unavailableValuePlaceholder);
        }
    }

    private static CommentChange ReadEnvelope(JsonElement envelope, StreamMessage message, string unavailableValuePlaceholder)
    {
        var op = CommentRow.RequiredString(envelope, "op");
        if (op is not ("c" or "u" or "d" or "r" or "t"))
        {
            throw new StreamEventException($"unknown op '{op}'");
        }

        var source = CommentRow.Required(envelope, "source", JsonValueKind.Object);
        var schema = CommentRow.RequiredString(source, "schema");
        var table = CommentRow.RequiredString(source, "table");
        if (schema != Schema || table != Table)
        {
            throw new StreamEventException($"event for {schema}.{table}, expected {Schema}.{Table}");
        }

        var lsn = CommentRow.Required(source, "lsn", JsonValueKind.Number);
        if (!lsn.TryGetUInt64(out var position))
        {
            throw new StreamEventException($"source.lsn {lsn.GetRawText()} is not a WAL position");
        }

        var committedAt = source.TryGetProperty("ts_ms", out var ts) && ts.TryGetInt64(out var ms)
            ? CommitTime(ms, "source.ts_ms")
            : throw new StreamEventException("source.ts_ms is missing");

        var commitPosition = (source.TryGetProperty("sequence", out var sequence) ? CommitPosition(sequence) : null) ?? position;
        if (op == "t")
        {
            // TRUNCATE names no row: Debezium sends before and after null (or leaves them out) and a null key.
            if (HasRow(envelope, "before") || HasRow(envelope, "after"))
            {
                throw new StreamEventException("a truncate event must not carry a before or after row");
            }

            return new CommentChange(Guid.Empty, 't', position, committedAt, null, null, commitPosition);
        }

        if (op == "d")
        {
            var before = envelope.TryGetProperty("before", out var b) && b.ValueKind == JsonValueKind.Object ? b : KeyOf(message);
            return new CommentChange(CommentRow.Id(before), 'd', position, committedAt, null, null, commitPosition);
        }

        var after = CommentRow.Required(envelope, "after", JsonValueKind.Object);
        foreach (var column in after.EnumerateObject())
        {
            if (!CommentRow.IsColumn(column.Name))
            {
                throw CommentRow.UnknownColumn(column.Name, "after");
            }
        }

        var (text, label, unavailable) = CommentRow.Values(after, unavailableValuePlaceholder);
        return new CommentChange(CommentRow.Id(after), op[0], position, committedAt, text, label, commitPosition)
        {
            TextUnavailable = unavailable,
            Feedback = CommentRow.Feedback(after),
        };
    }

    private static bool HasRow(JsonElement envelope, string name) =>
        envelope.TryGetProperty(name, out var row) && row.ValueKind != JsonValueKind.Null;

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

    /// <summary>
    /// The commit position in Debezium's <c>source.sequence</c>: a string holding a JSON array
    /// <c>["&lt;commit lsn&gt;", "&lt;lsn&gt;"]</c> of decimal LSNs (either may be null). Null when the value is
    /// missing or unreadable, which leaves the order to the change's own LSN.
    /// </summary>
    internal static ulong? CommitPosition(JsonElement sequence)
    {
        if (sequence.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            using var pair = JsonDocument.Parse(sequence.GetString()!);
            return pair.RootElement.ValueKind == JsonValueKind.Array && pair.RootElement.GetArrayLength() == 2
                && pair.RootElement[0].ValueKind == JsonValueKind.String
                && ulong.TryParse(pair.RootElement[0].GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var commit)
                ? commit
                : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The instant of <paramref name="unixMilliseconds"/>, read from <paramref name="field"/>.</summary>
    internal static DateTimeOffset CommitTime(long unixMilliseconds, string field)
    {
        try
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new StreamEventException($"{field} {unixMilliseconds} is not a time", e);
        }
    }
}
