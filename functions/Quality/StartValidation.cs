using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ToxicFunctions.Quality;

namespace ToxicFunctions.Functions.Quality;

/// <summary>
/// HTTP trigger that runs a data-quality suite now: <c>POST /api/validations</c> with an optional body
/// <c>{"suite": "staging"}</c> (an embedded suite by name; default staging).
/// </summary>
public sealed class StartValidation(ValidationService validation)
{
    /// <summary>
    /// Answers 201 with the run's report (status passed, warned or failed, and where the JSON and HTML reports are) and
    /// its Location; 400 (problem+json) for a body that is not <c>{"suite": NAME}</c> or an unknown suite.
    /// </summary>
    [Function(nameof(StartValidation))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "validations")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(cancellationToken);
        var suiteName = ValidationService.StagingSuite;
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                using var json = JsonDocument.Parse(body);
                if (json.RootElement.ValueKind != JsonValueKind.Object
                    || json.RootElement.EnumerateObject().Any(p => p.Name != "suite")
                    || (json.RootElement.TryGetProperty("suite", out var suite) && suite.ValueKind != JsonValueKind.String))
                {
                    return Problems.BadRequest("Not a validation request", "Expected an empty body or {\"suite\": \"NAME\"}.");
                }

                suiteName = json.RootElement.TryGetProperty("suite", out var name) ? name.GetString()! : suiteName;
            }
            catch (JsonException e)
            {
                return Problems.BadRequest("Not a validation request", e.Message);
            }
        }

        if (!SuiteLoader.EmbeddedNames.Contains(suiteName, StringComparer.Ordinal))
        {
            return Problems.BadRequest("Unknown suite", $"There is no suite '{suiteName}'; known: {string.Join(", ", SuiteLoader.EmbeddedNames)}.");
        }

        var report = await validation.RunAsync(SuiteLoader.LoadEmbedded(suiteName), cancellationToken);
        using var document = JsonDocument.Parse(report.ToJson());
        return new CreatedResult($"/api/validations/{report.RunId}", document.RootElement.Clone());
    }
}
