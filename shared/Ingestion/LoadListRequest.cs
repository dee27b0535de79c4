namespace ToxicFunctions.Ingestion;

/// <summary>
/// A request for <c>GET /api/loads</c>: <c>?status=STATUS</c> (one of <see cref="Statuses"/>, or <c>attention</c> for every
/// status but <c>loaded</c>), <c>?container=NAME</c>, <c>?key=KEY</c>, <c>?limit=N</c> (default 100, 1 to 1000).
/// </summary>
/// <param name="Statuses">The statuses to list, or null for all.</param>
/// <param name="Container">Only this bucket or container, or null for all.</param>
/// <param name="Key">Only this object key, or null for all.</param>
/// <param name="Limit">At most this many loads, newest first.</param>
public sealed record LoadListRequest(IReadOnlyList<string>? Statuses, string? Container, string? Key, int Limit)
{
    /// <summary>Every status a load can have.</summary>
    public static IReadOnlyList<string> AllStatuses { get; } = ["loading", "loaded", "failed", "skipped", "not_found"];

    /// <summary>The statuses <c>status=attention</c> selects: every load from which nothing was loaded.</summary>
    public static IReadOnlyList<string> AttentionStatuses { get; } = ["failed", "skipped", "not_found"];

    /// <summary>Reads the query parameters (null or empty when absent).</summary>
    /// <returns>The request, or null with <paramref name="error"/> saying what is wrong.</returns>
    public static LoadListRequest? Parse(string? status, string? container, string? key, string? limit, out string? error)
    {
        error = null;
        if (!QueryLimit.TryParse(limit, 100, out var count))
        {
            error = QueryLimit.Error;
            return null;
        }

        IReadOnlyList<string>? statuses = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (status == "attention")
            {
                statuses = AttentionStatuses;
            }
            else if (AllStatuses.Contains(status))
            {
                statuses = [status];
            }
            else
            {
                error = $"status must be one of {string.Join(", ", AllStatuses)} or attention; got '{status}'.";
                return null;
            }
        }

        return new LoadListRequest(statuses, string.IsNullOrEmpty(container) ? null : container, string.IsNullOrEmpty(key) ? null : key, count);
    }
}
