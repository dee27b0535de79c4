namespace ToxicFunctions.Scoring;

/// <summary>A scoring request that is refused, with the HTTP status that says why (400, 413 or 415).</summary>
/// <param name="statusCode">400 (not a request of the right shape), 413 (over a limit) or 415 (not JSON).</param>
/// <param name="title">A short title, the problem details' <c>title</c>.</param>
/// <param name="detail">What is wrong and where, the problem details' <c>detail</c>.</param>
public sealed class InvalidScoringRequestException(int statusCode, string title, string detail) : Exception(detail)
{
    /// <summary>400, 413 or 415.</summary>
    public int StatusCode { get; } = statusCode;

    /// <summary>A short title.</summary>
    public string Title { get; } = title;
}
