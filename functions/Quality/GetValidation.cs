using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ToxicFunctions.Quality;

namespace ToxicFunctions.Functions.Quality;

/// <summary>HTTP trigger that returns a stored validation report: <c>GET /api/validations/{runId}[?format=html|json]</c>.</summary>
public sealed class GetValidation(ValidationService validation)
{
    /// <summary>Answers 200 with the report (JSON by default, the HTML data docs with format=html); 400 for a bad id or format; 404 for an unknown run.</summary>
    [Function(nameof(GetValidation))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "validations/{runId}")] HttpRequest request,
        string runId,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(runId, out var id))
        {
            return Problems.BadRequest("Not a run id", $"'{runId}' is not a UUID.");
        }

        var format = request.Query["format"].ToString() switch
        {
            "" or "json" => ReportFormat.Json,
            "html" => ReportFormat.Html,
            _ => (ReportFormat?)null,
        };
        if (format is null)
        {
            return Problems.BadRequest("Unknown format", "format must be json or html.");
        }

        var report = await validation.GetReportAsync(id, format.Value, cancellationToken);
        return report is null
            ? Problems.Create(404, "No such report", $"There is no stored report of validation run {id}.")
            : new ContentResult { Content = report, ContentType = ValidationReportStore.ContentType(format.Value), StatusCode = 200 };
    }
}
