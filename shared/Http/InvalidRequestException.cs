namespace ToxicFunctions.Http;

/// <summary>
/// A request that is refused, with the HTTP status that says why: 400 (not a request of the right shape), 404 (it names
/// something that does not exist), 413 (over a limit) or 415 (not JSON). HTTP triggers answer it as problem+json.
/// </summary>
/// <param name="statusCode">The 4xx status.</param>
/// <param name="title">A short title, the problem details' <c>title</c>.</param>
/// <param name="detail">What is wrong and where, the problem details' <c>detail</c>.</param>
public sealed class InvalidRequestException(int statusCode, string title, string detail) : Exception(detail)
{
    /// <summary>The 4xx status.</summary>
    public int StatusCode { get; } = statusCode;

    /// <summary>A short title.</summary>
    public string Title { get; } = title;
}
