using System.Text.Json;

namespace ToxicFunctions;

/// <summary>Reads JSON that another system serialized, such as Durable Task's inputs, outputs and custom status.</summary>
public static class SerializedJson
{
    /// <summary>
    /// The serialized value as a JSON element; text that is not JSON (a failed run's output may be its bare error text)
    /// becomes a JSON string; null stays null.
    /// </summary>
    public static JsonElement? ParseOrText(string? serialized)
    {
        if (serialized is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(serialized);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(serialized);
        }
    }
}
