using System.Buffers;
using System.Text.Json;

namespace ToxicFunctions.Http;

/// <summary>
/// Reads a JSON request body within a byte limit: the content type check (415), the bounded read (413) and the parse
/// into one JSON value (400) that every JSON endpoint needs, whatever shape it then expects.
/// </summary>
public static class JsonRequestBody
{
    /// <summary>The deepest nesting a request may have.</summary>
    public const int MaxDepth = 8;

    /// <summary>
    /// Whether <paramref name="contentType"/> names JSON: <c>application/json</c>, <c>text/json</c> or
    /// <c>application/*+json</c>, with any parameters (charset).
    /// </summary>
    public static bool IsJson(string? contentType)
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

    /// <summary>
    /// Reads <paramref name="body"/> of media type <paramref name="contentType"/> (JSON, as <see cref="IsJson"/> says),
    /// at most <paramref name="maxBodyBytes"/> bytes, and parses it as exactly one JSON value (at most
    /// <see cref="MaxDepth"/> deep). The caller disposes the document.
    /// </summary>
    /// <param name="body">The request body.</param>
    /// <param name="contentType">The request's Content-Type header (null when it has none).</param>
    /// <param name="maxBodyBytes">The largest body accepted, in bytes.</param>
    /// <param name="notARequest">The problem title of a 400 (e.g. "Not a feedback request").</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="InvalidRequestException">
    /// 415 for another or no content type; 413 for a body over <paramref name="maxBodyBytes"/>; 400 titled
    /// <paramref name="notARequest"/> for a body that is not JSON or holds more than one value.
    /// </exception>
    public static async Task<JsonDocument> ReadAsync(Stream body, string? contentType, int maxBodyBytes, string notARequest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBodyBytes);
        if (!IsJson(contentType))
        {
            throw new InvalidRequestException(
                415, "Unsupported media type", $"The body must be JSON (Content-Type: application/json), not {(string.IsNullOrWhiteSpace(contentType) ? "without a content type" : contentType)}.");
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(64 * 1024, maxBodyBytes + 1));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, maxBodyBytes + 1L));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await body.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, maxBodyBytes + 1) - length), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > maxBodyBytes)
                {
                    throw new InvalidRequestException(413, "Request too large", $"The body is larger than {maxBodyBytes} bytes.");
                }
            }

            return Parse(buffer.AsSpan(0, length), notARequest);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Parses UTF-8 <paramref name="json"/> as exactly one JSON value; the caller disposes the document.</summary>
    /// <exception cref="InvalidRequestException">400 titled <paramref name="notARequest"/>, as <see cref="ReadAsync"/> says.</exception>
    public static JsonDocument Parse(ReadOnlySpan<byte> json, string notARequest)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
            var document = JsonDocument.ParseValue(ref reader);
            if (reader.BytesConsumed != json.Length && json[(int)reader.BytesConsumed..].Trim(" \t\r\n"u8).Length != 0)
            {
                document.Dispose();
                throw new InvalidRequestException(400, notARequest, "The body has more than one JSON value.");
            }

            return document;
        }
        catch (JsonException e)
        {
            throw new InvalidRequestException(400, notARequest, $"The body is not JSON: {e.Message}");
        }
    }

    /// <summary>How <paramref name="element"/>'s kind reads in an error ("null", "a number", ...).</summary>
    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Number => "a number",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        _ => "nothing",
    };
}
