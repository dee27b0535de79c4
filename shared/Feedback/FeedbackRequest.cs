using System.Text.Json;
using ToxicFunctions.Http;
using ToxicFunctions.Scoring;

namespace ToxicFunctions.Feedback;

/// <summary>
/// A correction, as <c>POST /api/feedback</c> takes it: <c>{"text": "...", "label": 0 | 1}</c>, optionally with
/// <c>"id": "&lt;uuid&gt;"</c>, the source comment it corrects. An empty text is valid, as in scoring.
/// </summary>
/// <param name="Text">The comment's text (at most <see cref="MaxTextChars"/> UTF-16 characters, no NUL).</param>
/// <param name="Label">The correct label: 1 toxic, 0 not.</param>
/// <param name="Id">The source comment (source.comments.id) to correct; null to add a new comment.</param>
public sealed record FeedbackRequest(string Text, short Label, Guid? Id)
{
    /// <summary>The longest text accepted, in UTF-16 characters: the same as scoring's.</summary>
    public const int MaxTextChars = ScoringRequest.MaxTextChars;

    /// <summary>
    /// The largest request body accepted, in bytes (1 MiB): room for a text at the limit even when every character is
    /// a six-byte JSON escape.
    /// </summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>The problem title of a 400.</summary>
    public const string NotARequest = "Not a feedback request";

    private const string Shape = "{\"text\": \"...\", \"label\": 0 or 1, \"id\": \"<uuid>\" (optional)}";

    /// <summary>
    /// Reads a request body of media type <paramref name="contentType"/>: JSON (<c>application/json</c>,
    /// <c>text/json</c> or <c>application/*+json</c>), at most <see cref="MaxBodyBytes"/> bytes.
    /// </summary>
    /// <exception cref="InvalidRequestException">
    /// 415 for another or no content type; 413 for a body or a text over its limit; 400 for a body that is not JSON or
    /// not of the request's shape (wrong types, null or missing text or label, a label other than 0 or 1, an id that
    /// is not a UUID, unknown properties, a text with NUL or a lone surrogate).
    /// </exception>
    public static async Task<FeedbackRequest> ReadAsync(Stream body, string? contentType, CancellationToken cancellationToken)
    {
        using var document = await JsonRequestBody.ReadAsync(body, contentType, MaxBodyBytes, NotARequest, cancellationToken);
        return Parse(document.RootElement);
    }

    /// <summary>Parses a request from a JSON value.</summary>
    /// <exception cref="InvalidRequestException">413 or 400, as <see cref="ReadAsync"/> says.</exception>
    public static FeedbackRequest Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw BadShape($"Expected {Shape}, not {JsonRequestBody.Describe(root)}.");
        }

        var unknown = root.EnumerateObject().FirstOrDefault(p => p.Name is not ("text" or "label" or "id"));
        if (unknown.Value.ValueKind != JsonValueKind.Undefined)
        {
            throw BadShape($"Unknown property '{unknown.Name}'; expected {Shape}.");
        }

        if (!root.TryGetProperty("text", out var text) || !root.TryGetProperty("label", out var label))
        {
            throw BadShape($"\"text\" and \"label\" are required: {Shape}.");
        }

        return new FeedbackRequest(ReadText(text), ReadLabel(label), root.TryGetProperty("id", out var id) ? ReadId(id) : null);
    }

    private static string ReadText(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            throw BadShape($"text must be a string, not {JsonRequestBody.Describe(element)}.");
        }

        if (!element.TryGetText(out var value))
        {
            throw BadShape("text is not valid UTF-16 text (it escapes a lone surrogate).");
        }

        if (value.Length > MaxTextChars)
        {
            throw new InvalidRequestException(413, "Text too long", $"text has {value.Length} characters; at most {MaxTextChars} are accepted.");
        }

        return value.Contains('\0', StringComparison.Ordinal)
            ? throw BadShape("text contains a NUL character (\\u0000), which a comment cannot hold.")
            : value;
    }

    private static short ReadLabel(JsonElement element) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt16(out var value) && value is 0 or 1
            ? value
            : throw BadShape($"label must be 0 or 1, not {(element.ValueKind == JsonValueKind.Number ? element.GetRawText() : JsonRequestBody.Describe(element))}.");

    // null is the same as no id: a new comment.
    private static Guid? ReadId(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String when element.TryGetText(out var text) && Guid.TryParseExact(text, "D", out var id) => id,
        JsonValueKind.String => throw BadShape("id must be a UUID (8-4-4-4-12 hex digits)."),
        _ => throw BadShape($"id must be a UUID string, not {JsonRequestBody.Describe(element)}."),
    };

    private static InvalidRequestException BadShape(string detail) => new(400, NotARequest, detail);
}
