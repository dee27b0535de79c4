using Microsoft.AspNetCore.Mvc;

namespace ToxicFunctions.Functions;

/// <summary>RFC 9457 problem details responses (application/problem+json).</summary>
internal static class Problems
{
    public static ObjectResult BadRequest(string title, string detail) => Create(400, title, detail);

    public static ObjectResult Create(int status, string title, string detail) =>
        new(new ProblemDetails { Status = status, Title = title, Detail = detail, Type = $"https://httpstatuses.io/{status}" })
        {
            StatusCode = status,
            ContentTypes = { "application/problem+json" },
        };
}
