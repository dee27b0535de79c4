using System.Globalization;
using System.Net;
using System.Text;

namespace ToxicFunctions.Quality;

/// <summary>
/// The readable report (what Great Expectations calls data docs): one self-contained HTML page. Built with a
/// StringBuilder and WebUtility.HtmlEncode: one table needs no template engine.
/// </summary>
internal static class HtmlReportRenderer
{
    private const string Style =
        "body{font-family:system-ui,sans-serif;margin:2rem;color:#222} table{border-collapse:collapse;width:100%}" +
        "th,td{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top} th{background:#f3f3f3}" +
        ".pass{color:#176f2c;font-weight:600} .fail{color:#b00020;font-weight:600} .warn{color:#9a6700;font-weight:600}" +
        "code,pre{font-size:.85em} pre{white-space:pre-wrap;margin:0} .status{font-size:1.4rem}";

    public static string Render(ValidationReport report)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Validation {{E(report.Suite)}} {{report.RunId}}</title>
            <style>{{Style}}</style></head><body>
            <h1>Suite <code>{{E(report.Suite)}}</code></h1>
            <p>{{E(report.SuiteDescription ?? "")}}</p>
            <p class="status {{StatusClass(report.Status)}}">{{E(report.Status.ToString().ToUpperInvariant())}}</p>
            <p>Run <code>{{report.RunId}}</code>, {{report.StartedAt:u}} to {{report.FinishedAt:u}};
            {{report.Evaluated}} expectations: {{report.Passed}} passed, {{report.FailedErrors}} failed (error), {{report.FailedWarnings}} failed (warn).
            Suite {{E(report.SuiteOrigin)}}, sha256 <code>{{E(report.SuiteSha256)}}</code>.</p>
            <table><thead><tr><th>expectation</th><th>type</th><th>severity</th><th>table.column</th><th>result</th>
            <th>observed</th><th>failing rows</th><th>detail</th><th>sample keys</th><th>failing rows query</th></tr></thead><tbody>

            """);
        foreach (var r in report.Results)
        {
            var result = r.Passed ? "<span class=\"pass\">pass</span>"
                : r.Severity == Severity.Error ? "<span class=\"fail\">FAIL</span>" : "<span class=\"warn\">warn</span>";
            html.Append(CultureInfo.InvariantCulture, $"""
                <tr><td><code>{E(r.Id)}</code></td><td>{E(r.Type)}</td><td>{E(r.Severity.ToString().ToLowerInvariant())}</td>
                <td><code>{E(r.Table)}{(r.Column is null ? "" : "." + E(r.Column))}</code></td><td>{result}</td>
                <td>{E(r.ObservedValue?.ToString("G6", CultureInfo.InvariantCulture) ?? "")}</td><td>{r.FailingCount}</td><td>{E(r.Detail)}</td>
                <td>{string.Join("<br>", r.SampleKeys.Select(k => $"<code>{E(k)}</code>"))}</td>
                <td><pre>{E(r.FailingRowsQuery ?? "")}</pre></td></tr>

                """);
        }

        html.Append("</tbody></table></body></html>\n");
        return html.ToString();
    }

    private static string StatusClass(ValidationStatus status) => status switch
    {
        ValidationStatus.Passed => "pass",
        ValidationStatus.Warned => "warn",
        _ => "fail",
    };

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
