using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ToxicFunctions.Scoring;

namespace ToxicFunctions.Functions.Scoring;

/// <summary>HTTP trigger <c>GET /api/openapi.json</c>: the OpenAPI 3 document of the scoring API (<see cref="ScoringApiDocument"/>).</summary>
public sealed class GetScoringApiDocument
{
    /// <summary>Answers 200 with the document.</summary>
    [Function(nameof(GetScoringApiDocument))]
    public Task<IActionResult> RunAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = ScoringRoutes.ApiDocument)] HttpRequest request) =>
        Task.FromResult<IActionResult>(new ContentResult { Content = ScoringApiDocument.Json, ContentType = "application/json", StatusCode = 200 });
}
