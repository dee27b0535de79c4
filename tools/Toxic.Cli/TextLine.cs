using System.Text.Json;

namespace ToxicFunctions.Cli;

/// <summary>One input line of <c>toxic score</c> and <c>toxic tokenize</c>: a JSON object <c>{"text": "..."}</c>.</summary>
internal static class TextLine
{
    /// <summary>The line's text, or why the line has none.</summary>
    public static (string? Text, string? Error) Parse(string line)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            if (json.RootElement.ValueKind != JsonValueKind.Object
                || !json.RootElement.TryGetProperty("text", out var value)
                || value.ValueKind != JsonValueKind.String)
            {
                return (null, "expected an object with a string property \"text\"");
            }

            return value.TryGetText(out var text) ? (text, null) : (null, "\"text\" is not valid UTF-16 text (it escapes a lone surrogate)");
        }
        catch (JsonException e)
        {
            return (null, $"invalid JSON: {e.Message}");
        }
    }
}
