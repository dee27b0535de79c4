using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace ToxicFunctions;

/// <summary>Reads JSON strings as text.</summary>
public static class JsonTextExtensions
{
    /// <summary>
    /// The value of a JSON string as text; false when <paramref name="element"/> is not a string, or when it escapes a
    /// lone surrogate (<c>"\ud800"</c>): valid JSON, but no UTF-16 text (<see cref="JsonElement.GetString"/> throws).
    /// </summary>
    public static bool TryGetText(this JsonElement element, [NotNullWhen(true)] out string? text)
    {
        text = null;
        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        try
        {
            text = element.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
