using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ToxicFunctions.Quality;

namespace ToxicFunctions.Functions.Quality;

/// <summary>
/// HTTP trigger that returns a stored validation report: <c>GET /api/validations/{runId}[?format=html|json]</c>, or the
/// newest one with <c>latest</c> as the run id (<c>&amp;suite=NAME</c>: the newest of that suite).
/// </summary>
public sealed class GetValidation(ValidationService validation)
{
    /// <summary>The run id that names the newest stored report.</summary>
    public const string Latest = "latest";

    /// <summary>Answers 200 with the report (JSON by default, the HTML data docs with format=html); 400 for a bad id or format; 404 for an unknown run or, for latest, no report yet.</summary>
    [Function(nameof(GetValidation))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "validations/{runId}")] HttpRequest request,
        string runId,
        CancellationToken cancellationToken)
    {
        // "latest" is a value of this route rather than a route of its own: a literal route beside validations/{runId}
        // would depend on how each host orders overlapping routes.
        var latest = runId == Latest;
        Guid id = default;
        if (!latest && !Guid.TryParse(runId, out id))
        {
            return Problems.BadRequest("Not a run id", $"'{runId}' is neither a UUID nor {Latest}.");
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

        if (latest)
        {
            var suite = request.Query["suite"].ToString();
            var newest = await validation.GetLatestReportAsync(format.Value, suite.Length == 0 ? null : suite, cancellationToken);
            if (newest is not { } found)
            {
                return Problems.Create(404, "No report yet", suite.Length == 0 ? "No validation run has stored a report." : $"No run of suite {suite} has stored a report.");
            }

            return new ContentResult { Content = found.Report, ContentType = ValidationReportStore.ContentType(format.Value), StatusCode = 200 };
        }

        var report = await validation.GetReportAsync(id, format.Value, cancellationToken);
        return report is null
            ? Problems.Create(404, "No such report", $"There is no stored report of validation run {id}.")
            : new ContentResult { Content = report, ContentType = ValidationReportStore.ContentType(format.Value), StatusCode = 200 };
    }
}
