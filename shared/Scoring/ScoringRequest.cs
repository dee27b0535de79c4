using System.Text.Json;
using ToxicFunctions.Http;

namespace ToxicFunctions.Scoring;

/// <summary>
/// A request to score comments, as <c>POST /api/score</c> and <c>toxic score</c> take it: <c>{"text": "..."}</c> or
/// <c>{"texts": ["...", ...]}</c>, and the limits both apply. An empty text is valid and is scored.
/// </summary>
/// <param name="Texts">The comments, in the order given (one for <c>"text"</c>).</param>
/// <param name="IsBatch">Whether the request gave <c>"texts"</c>.</param>
public sealed record ScoringRequest(IReadOnlyList<string> Texts, bool IsBatch)
{
    /// <summary>The most comments one request may score.</summary>
    public const int MaxTexts = 1000;

    /// <summary>The longest comment accepted, in UTF-16 characters.</summary>
    public const int MaxTextChars = 100_000;

    /// <summary>The largest request body accepted, in bytes (16 MiB).</summary>
    public const int MaxBodyBytes = 16 * 1024 * 1024;

    private const string NotARequest = "Not a scoring request";

    private const string Shape = "{\"text\": \"...\"} or {\"texts\": [\"...\", ...]}";

    /// <summary>
    /// Reads a request body of media type <paramref name="contentType"/>: JSON (<c>application/json</c>,
    /// <c>text/json</c> or <c>application/*+json</c>), at most <see cref="MaxBodyBytes"/> bytes.
    /// </summary>
    /// <exception cref="InvalidRequestException">
    /// 415 for another or no content type; 413 for a body, a number of texts or a text over its limit; 400 for a body
    /// that is not JSON or not of the request's shape (wrong types, null or missing text, unknown properties).
    /// </exception>
    public static async Task<ScoringRequest> ReadAsync(Stream body, string? contentType, CancellationToken cancellationToken)
    {
        using var document = await JsonRequestBody.ReadAsync(body, contentType, MaxBodyBytes, NotARequest, cancellationToken);
        return Parse(document.RootElement);
    }

    /// <summary>Parses a request from UTF-8 JSON.</summary>
    /// <exception cref="InvalidRequestException">413 or 400, as <see cref="ReadAsync"/> says.</exception>
    public static ScoringRequest Parse(ReadOnlySpan<byte> json)
    {
        using var document = JsonRequestBody.Parse(json, NotARequest);
        return Parse(document.RootElement);
    }

    /// <summary>Parses a request from a JSON value.</summary>
    /// <exception cref="InvalidRequestException">413 or 400, as <see cref="ReadAsync"/> says.</exception>
    public static ScoringRequest Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw BadShape($"Expected {Shape}, not a JSON {root.ValueKind.ToString().ToLowerInvariant()}.");
        }

        var unknown = root.EnumerateObject().FirstOrDefault(p => p.Name is not ("text" or "texts"));
        if (unknown.Value.ValueKind != JsonValueKind.Undefined)
        {
            throw BadShape($"Unknown property '{unknown.Name}'; expected {Shape}.");
        }

        var hasText = root.TryGetProperty("text", out var text);
        var hasTexts = root.TryGetProperty("texts", out var many);
        if (hasText == hasTexts)
        {
            throw BadShape($"Give exactly one of \"text\" and \"texts\": {Shape}.");
        }

        if (hasText)
        {
            return new ScoringRequest([Text(text, "text")], IsBatch: false);
        }

        if (many.ValueKind != JsonValueKind.Array)
        {
            throw BadShape($"\"texts\" must be an array of strings, not {JsonRequestBody.Describe(many)}.");
        }

        var count = many.GetArrayLength();
        if (count == 0)
        {
            throw BadShape($"\"texts\" is empty; give 1 to {MaxTexts} strings.");
        }

        if (count > MaxTexts)
        {
            throw new InvalidRequestException(413, "Too many texts", $"\"texts\" has {count} items; at most {MaxTexts} are scored per request.");
        }

        var texts = new string[count];
        var index = 0;
        foreach (var item in many.EnumerateArray())
        {
            texts[index] = Text(item, $"texts[{index}]");
            index++;
        }

        return new ScoringRequest(texts, IsBatch: true);
    }

    private static string Text(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            throw BadShape($"{where} must be a string, not {JsonRequestBody.Describe(element)}.");
        }

        if (!element.TryGetText(out var value))
        {
            throw BadShape($"{where} is not valid UTF-16 text (it escapes a lone surrogate).");
        }

        return value.Length <= MaxTextChars
            ? value
            : throw new InvalidRequestException(413, "Text too long", $"{where} has {value.Length} characters; at most {MaxTextChars} are scored.");
    }

    private static InvalidRequestException BadShape(string detail) => new(400, NotARequest, detail);
}
