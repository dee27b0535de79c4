using System.Text.Json;

namespace ToxicFunctions.Streaming;

/// <summary>
/// Reads one row of <c>source.comments</c> as Debezium encodes it (an envelope's <c>before</c>/<c>after</c>, or a
/// flattened record's top level): the uuid <c>id</c>, the text, the 0/1 label and the <c>feedback</c> flag. Errors are
/// <see cref="StreamEventException"/>s.
/// </summary>
internal static class CommentRow
{
    /// <summary>The columns of source.comments, in table order.</summary>
    internal static readonly string[] Columns = ["id", "comment_text", "labels", "created_at", "updated_at", "feedback"];

    private static readonly HashSet<string> s_columns = [.. Columns];

    /// <summary>Whether <paramref name="name"/> is a column of source.comments.</summary>
    internal static bool IsColumn(string name) => s_columns.Contains(name);

    /// <summary>The row's primary key.</summary>
    internal static Guid Id(JsonElement row) =>
        row.ValueKind == JsonValueKind.Object && row.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            && Guid.TryParse(id.GetString(), out var guid)
            ? guid
            : throw new StreamEventException("the row has no uuid id");

    /// <summary>
    /// The text and label of a created, updated or snapshot-read row. The text is null (and unavailable) when it is
    /// exactly <paramref name="unavailableValuePlaceholder"/>: the connector could not read it, the stored text stands.
    /// </summary>
    internal static (string? Text, short Label, bool TextUnavailable) Values(JsonElement row, string unavailableValuePlaceholder)
    {
        var text = RequiredString(row, "comment_text");
        var unavailable = string.Equals(text, unavailableValuePlaceholder, StringComparison.Ordinal);
        if (!unavailable && text.Contains('\0', StringComparison.Ordinal))
        {
            throw new StreamEventException("comment_text contains a NUL character, which PostgreSQL text cannot hold");
        }

        var label = Required(row, "labels", JsonValueKind.Number);
        if (!label.TryGetInt16(out var value) || value is not (0 or 1))
        {
            throw new StreamEventException($"labels must be 0 or 1, found {label.GetRawText()}");
        }

        return (unavailable ? null : text, value, unavailable);
    }

    /// <summary>
    /// Whether the row's label is a correction sent to <c>POST /api/feedback</c> (the boolean column <c>feedback</c>,
    /// migration 0016). A row without it (written before the column existed) or with null is not feedback; a string
    /// "true"/"false" is read too (connectors that stringify booleans).
    /// </summary>
    internal static bool Feedback(JsonElement row)
    {
        if (!row.TryGetProperty("feedback", out var feedback))
        {
            return false;
        }

        return feedback.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.False => false,
            JsonValueKind.True => true,
            JsonValueKind.String when feedback.ValueEquals("true") => true,
            JsonValueKind.String when feedback.ValueEquals("false") => false,
            _ => throw new StreamEventException($"feedback must be a boolean, found {feedback.GetRawText()}"),
        };
    }

    /// <summary>The unknown-column error for <paramref name="column"/>, found in <paramref name="where"/>.</summary>
    internal static StreamEventException UnknownColumn(string column, string where) =>
        new($"unknown column '{column}' in {where}; source.comments has {string.Join(", ", Columns)}");

    /// <summary>The property <paramref name="name"/> of kind <paramref name="kind"/>.</summary>
    internal static JsonElement Required(JsonElement element, string name, JsonValueKind kind) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == kind
            ? value
            : throw new StreamEventException($"'{name}' is missing or not a {kind}");

    /// <summary>The string property <paramref name="name"/> as text.</summary>
    internal static string RequiredString(JsonElement element, string name) =>
        Required(element, name, JsonValueKind.String).TryGetText(out var text)
            ? text
            : throw new StreamEventException($"'{name}' is not valid UTF-16 text (it escapes a lone surrogate)");
}
