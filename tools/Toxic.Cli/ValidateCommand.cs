using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ToxicFunctions.Database;
using ToxicFunctions.Quality;

namespace ToxicFunctions.Cli;

/// <summary><c>toxic validate [--suite FILE]</c>: runs a data-quality suite, prints a pass/fail table, exits 1 when an error-level expectation fails.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var suite = new Option<FileInfo?>("--suite") { Description = "A suite JSON file; default: the embedded staging suite (shared/Quality/suites/staging.json)." };
        var noProgress = ProgressOption.Create();
        var command = new Command("validate", "Run a data-quality suite on the database; exit 1 when an error-level expectation fails.") { suite, noProgress };
        command.SetAction(async (parse, cancellationToken) =>
        {
            LoadedSuite loaded;
            try
            {
                var file = parse.GetValue(suite);
                loaded = file is null ? SuiteLoader.LoadEmbedded(ValidationService.StagingSuite) : await SuiteLoader.LoadFileAsync(file.FullName, cancellationToken);
            }
            catch (Exception e) when (e is SuiteDefinitionException or IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"toxic validate: {e.Message}");
                return 2;
            }

            var services = CliServices.Build();
            await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            ValidationReport report;
            // Counted in expectations, not rows: each table is one scan inside PostgreSQL, which tells nothing until it returns.
            var progress = ProgressLine.ForStandardError("validate", ProgressUnit.Count("expectations"), loaded.Suite.Expectations.Count, parse.GetValue(noProgress));
            try
            {
                report = await services.GetRequiredService<ValidationService>().RunAsync(
                    loaded, progress is null ? null : new ProgressReporter<ValidationProgress>(p => progress.Report(p.Judged)), cancellationToken);
                progress?.Complete();
            }
            catch (SuiteDefinitionException e)
            {
                progress?.Complete();
                await Console.Error.WriteLineAsync($"toxic validate: {e.Message}");
                return 2;
            }

            Write(report, Console.Out);
            return report.Status == ValidationStatus.Failed ? 1 : 0;
        });
        return command;
    }

    /// <summary>The table: one line per expectation, then the verdict and where the reports are.</summary>
    public static void Write(ValidationReport report, TextWriter output)
    {
        var idWidth = Math.Max(11, report.Results.Max(r => r.Id.Length));
        output.WriteLine($"{"result",-6}  {"severity",-8}  {"expectation".PadRight(idWidth)}  {"failing",9}  detail");
        foreach (var r in report.Results)
        {
            var result = r.Passed ? "pass" : r.Severity == Severity.Error ? "FAIL" : "warn";
            var samples = r.SampleKeys.Count == 0 ? "" : $" (e.g. {string.Join(", ", r.SampleKeys)})";
            output.WriteLine($"{result,-6}  {r.Severity.ToString().ToLowerInvariant(),-8}  {r.Id.PadRight(idWidth)}  {r.FailingCount?.ToString() ?? "-",9}  {r.Detail}{samples}");
        }

        output.WriteLine(
            $"suite {report.Suite}: {report.Status.ToString().ToLowerInvariant()} ({report.Passed}/{report.Evaluated} passed, "
            + $"{report.FailedErrors} error, {report.FailedWarnings} warn) run={report.RunId}");
        output.WriteLine($"report: {report.ReportHtmlUri} {report.ReportJsonUri}");
    }
}
