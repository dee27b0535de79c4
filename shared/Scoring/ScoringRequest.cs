using System.Buffers;
using System.Text.Json;

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

    private const string Shape = "{\"text\": \"...\"} or {\"texts\": [\"...\", ...]}";

    /// <summary>
    /// Reads a request body of media type <paramref name="contentType"/>: JSON (<c>application/json</c>,
    /// <c>text/json</c> or <c>application/*+json</c>), at most <see cref="MaxBodyBytes"/> bytes.
    /// </summary>
    /// <exception cref="InvalidScoringRequestException">
    /// 415 for another or no content type; 413 for a body, a number of texts or a text over its limit; 400 for a body
    /// that is not JSON or not of the request's shape (wrong types, null or missing text, unknown properties).
    /// </exception>
    public static async Task<ScoringRequest> ReadAsync(Stream body, string? contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!IsJson(contentType))
        {
            throw new InvalidScoringRequestException(
                415, "Unsupported media type", $"The body must be JSON (Content-Type: application/json), not {(string.IsNullOrWhiteSpace(contentType) ? "without a content type" : contentType)}.");
        }

        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxBodyBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await body.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, MaxBodyBytes + 1) - length), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > MaxBodyBytes)
                {
                    throw new InvalidScoringRequestException(413, "Request too large", $"The body is larger than {MaxBodyBytes} bytes.");
                }
            }

            return Parse(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Parses a request from UTF-8 JSON.</summary>
    /// <exception cref="InvalidScoringRequestException">413 or 400, as <see cref="ReadAsync"/> says.</exception>
    public static ScoringRequest Parse(ReadOnlySpan<byte> json)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
            document = JsonDocument.ParseValue(ref reader);
            if (reader.BytesConsumed != json.Length && json[(int)reader.BytesConsumed..].Trim(" \t\r\n"u8).Length != 0)
            {
                throw new InvalidScoringRequestException(400, "Not a scoring request", "The body has more than one JSON value.");
            }
        }
        catch (JsonException e)
        {
            throw new InvalidScoringRequestException(400, "Not a scoring request", $"The body is not JSON: {e.Message}");
        }

        using (document)
        {
            return Parse(document.RootElement);
        }
    }

    /// <summary>Parses a request from a JSON value.</summary>
    /// <exception cref="InvalidScoringRequestException">413 or 400, as <see cref="ReadAsync"/> says.</exception>
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
            throw BadShape($"\"texts\" must be an array of strings, not {Describe(many)}.");
        }

        var count = many.GetArrayLength();
        if (count == 0)
        {
            throw BadShape($"\"texts\" is empty; give 1 to {MaxTexts} strings.");
        }

        if (count > MaxTexts)
        {
            throw new InvalidScoringRequestException(413, "Too many texts", $"\"texts\" has {count} items; at most {MaxTexts} are scored per request.");
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
            throw BadShape($"{where} must be a string, not {Describe(element)}.");
        }

        if (!element.TryGetText(out var value))
        {
            throw BadShape($"{where} is not valid UTF-16 text (it escapes a lone surrogate).");
        }

        return value.Length <= MaxTextChars
            ? value
            : throw new InvalidScoringRequestException(413, "Text too long", $"{where} has {value.Length} characters; at most {MaxTextChars} are scored.");
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Number => "a number",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => "a string",
    };

    private static InvalidScoringRequestException BadShape(string detail) => new(400, "Not a scoring request", detail);

    private static bool IsJson(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return false;
        }

        var mediaType = contentType.Split(';')[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }
}
