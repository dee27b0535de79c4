using System.Net.Http.Json;
using System.Text.Json;

namespace ToxicFunctions.Tests.Infrastructure;

/// <summary>Follows a pipeline run through the Durable check-status URL its start returned.</summary>
internal static class PipelineStatus
{
    /// <summary>
    /// Polls <paramref name="statusUri"/> every half second until the run is neither Running nor Pending, or 5 minutes
    /// have passed; returns the last status payload (the caller asserts on it).
    /// </summary>
    public static async Task<JsonElement> WaitForEndAsync(HttpClient http, string statusUri)
    {
        JsonElement status;
        var deadline = DateTime.UtcNow.AddMinutes(5);
        do
        {
            await Task.Delay(500);
            status = await http.GetFromJsonAsync<JsonElement>(statusUri);
        }
        while (status.GetProperty("runtimeStatus").GetString() is "Running" or "Pending" && DateTime.UtcNow < deadline);
        return status;
    }
}
