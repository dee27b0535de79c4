using System.Globalization;
using System.Text.Json;

namespace ToxicFunctions.Streaming;

/// <summary>
/// Reads records that Debezium's <c>io.debezium.transforms.ExtractNewRecordState</c> SMT flattened: the value is the
/// row of source.comments itself plus the metadata fields its <c>add.fields</c> added, named with the default
/// <c>add.fields.prefix</c> <c>__</c> (<c>op</c> gives <c>__op</c>, <c>lsn</c> and <c>sequence</c> come from
/// <c>source</c> and give <c>__lsn</c> and <c>__sequence</c>, a qualified <c>source.ts_ms</c> gives
/// <c>__source_ts_ms</c>). A delete rewritten by <c>delete.tombstone.handling.mode=rewrite</c> (or the older
/// <c>delete.handling.mode=rewrite</c>) is the old row with <c>"__deleted": "true"</c>; rewritten creates and updates
/// carry <c>"__deleted": "false"</c>.
/// </summary>
internal static class FlattenedRecordReader
{
    private const string MetadataPrefix = "__";
    private const int NamesListed = 16;
    private const int NameLength = 64;

    /// <summary>
    /// Whether <paramref name="record"/> (an object) is a flattened row rather than a change event envelope: it has a
    /// column of source.comments (<c>id</c> or <c>comment_text</c>) at the top level and not both <c>op</c> and
    /// <c>source</c>, which every envelope has.
    /// </summary>
    internal static bool IsFlattened(JsonElement record) =>
        !(record.TryGetProperty("op", out _) && record.TryGetProperty("source", out _))
        && (record.TryGetProperty("id", out _) || record.TryGetProperty("comment_text", out _));

    /// <summary>
    /// Reads a flattened row. It must carry <c>__op</c> and <c>__lsn</c> (<c>add.fields=op,lsn</c>). The commit
    /// position is the first element of <c>__sequence</c> or <c>__source_sequence</c> (Debezium's
    /// <c>source.sequence</c>), else <c>__lsn</c>. The commit time is <c>__source_ts_ms</c>, else <c>__ts_ms</c> (when
    /// Debezium processed the change, a little after the commit), else the Kafka record's timestamp, else the time
    /// of reading. <c>__schema</c>/<c>__table</c> (or <c>__source_schema</c>/<c>__source_table</c>), when present, must
    /// name source.comments; other <c>__</c> fields are ignored; any other unknown field is an unknown column.
    /// </summary>
    internal static CommentChange Read(JsonElement row, StreamMessage message, string unavailableValuePlaceholder)
    {
        if (!TryGetValue(row, "__op", out var opValue) || !TryGetValue(row, "__lsn", out var lsnValue))
        {
            throw new StreamEventException(
                $"a flattened (ExtractNewRecordState) record needs the operation and position: add.fields=op,lsn (found {Names(row)})");
        }

        var op = opValue.TryGetText(out var opText) ? opText : opValue.GetRawText();
        if (op is not ("c" or "u" or "d" or "r"))
        {
            throw new StreamEventException($"unknown op '{op}' in __op");
        }

        foreach (var field in row.EnumerateObject())
        {
            if (field.Name.StartsWith(MetadataPrefix, StringComparison.Ordinal))
            {
                CheckTableField(field);
            }
            else if (!CommentRow.IsColumn(field.Name))
            {
                throw CommentRow.UnknownColumn(field.Name, "the flattened record (metadata fields start with __)");
            }
        }

        var position = Unsigned(lsnValue, "__lsn", "a WAL position");
        var commitPosition = (TryGetValue(row, "__sequence", out var sequence) || TryGetValue(row, "__source_sequence", out sequence)
            ? CommentChangeParser.CommitPosition(sequence)
            : null) ?? position;
        var committedAt = TryGetValue(row, "__source_ts_ms", out var ts) ? Time(ts, "__source_ts_ms")
            : TryGetValue(row, "__ts_ms", out ts) ? Time(ts, "__ts_ms")
            : message.Timestamp ?? DateTimeOffset.UtcNow;

        if (op == "d" || Deleted(row))
        {
            return new CommentChange(CommentRow.Id(row), 'd', position, committedAt, null, null, commitPosition);
        }

        var (text, label, unavailable) = CommentRow.Values(row, unavailableValuePlaceholder);
        return new CommentChange(CommentRow.Id(row), op[0], position, committedAt, text, label, commitPosition)
        {
            TextUnavailable = unavailable,
            Feedback = CommentRow.Feedback(row),
        };
    }

    private static bool TryGetValue(JsonElement row, string name, out JsonElement value) =>
        row.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    // "__deleted" is a string ("true"/"false") as the SMT writes it; JSON booleans are taken too.
    private static bool Deleted(JsonElement row)
    {
        if (!row.TryGetProperty("__deleted", out var deleted))
        {
            return false;
        }

        return deleted.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when deleted.ValueEquals("true") => true,
            JsonValueKind.String when deleted.ValueEquals("false") => false,
            _ => throw new StreamEventException($"__deleted must be \"true\" or \"false\", found {deleted.GetRawText()}"),
        };
    }

    private static void CheckTableField(JsonProperty field)
    {
        var expected = field.Name switch
        {
            "__schema" or "__source_schema" => CommentChangeParser.Schema,
            "__table" or "__source_table" => CommentChangeParser.Table,
            _ => null,
        };
        if (expected is not null && field.Value.ValueKind == JsonValueKind.String && !field.Value.ValueEquals(expected))
        {
            throw new StreamEventException(
                $"{field.Name} is {field.Value.GetRawText()}: the record is not of {CommentChangeParser.Schema}.{CommentChangeParser.Table}");
        }
    }

    // The SMT copies the source field's type (int64: a JSON number); a decimal string is read as well.
    private static ulong Unsigned(JsonElement value, string name, string what)
    {
        var ok = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetUInt64(out var number) ? number : (ulong?)null,
            JsonValueKind.String => value.TryGetText(out var text)
                && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null,
            _ => null,
        };
        return ok ?? throw new StreamEventException($"{name} {value.GetRawText()} is not {what}");
    }

    private static DateTimeOffset Time(JsonElement value, string name)
    {
        var milliseconds = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt64(out var number) ? number : (long?)null,
            JsonValueKind.String => value.TryGetText(out var text)
                && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed : null,
            _ => null,
        };
        return milliseconds is { } ms
            ? CommentChangeParser.CommitTime(ms, name)
            : throw new StreamEventException($"{name} {value.GetRawText()} is not Unix milliseconds");
    }

    private static string Names(JsonElement row)
    {
        var names = row.EnumerateObject().Select(p => p.Name.Length <= NameLength ? p.Name : $"{p.Name[..NameLength]}...").ToList();
        return names.Count == 0 ? "no fields"
            : names.Count <= NamesListed ? string.Join(", ", names)
            : $"{string.Join(", ", names.Take(NamesListed))} and {names.Count - NamesListed} more";
    }
}
