using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Cli;

/// <summary>
/// The progress line of real <c>toxic ingest</c> and <c>toxic validate</c> runs: shown on a terminal, absent when stderr
/// is redirected (as here, in pipes and CI) and with --no-progress.
/// </summary>
public sealed class ProgressCliTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Ingest_and_validate_show_progress_on_a_terminal_only()
    {
        var file = Path.Combine(Path.GetTempPath(), $"toxic-progress-{Guid.NewGuid():N}.csv");
        var other = Path.Combine(Path.GetTempPath(), $"toxic-progress-{Guid.NewGuid():N}.csv");
        var environment = new Dictionary<string, string> { ["Postgres__ConnectionString"] = database.ConnectionString };
        try
        {
            await File.WriteAllTextAsync(file, SyntheticSample.ToCsv(SyntheticSample.Comments.Take(300)));
            await File.WriteAllTextAsync(other, SyntheticSample.ToCsv(SyntheticSample.Comments.Skip(300).Take(300)));

            // Redirected, as every run from a pipe or CI: the results and nothing else.
            var (ingestExit, ingestOutput, ingestErrors) = await ToxicCli.RunAsync(["ingest", file], environment: environment);
            Assert.True(ingestExit == 0, $"toxic ingest exited {ingestExit}: {ingestErrors}");
            Assert.Contains("Loaded load_id=", ingestOutput, StringComparison.Ordinal);
            Assert.Equal("", ingestErrors);
            var (_, validateOutput, validateErrors) = await ToxicCli.RunAsync(["validate"], environment: environment);
            Assert.Contains("suite staging:", validateOutput, StringComparison.Ordinal);
            Assert.Equal("", validateErrors);

            // On a terminal the line is rewritten in place and ends with the stage's final line.
            // (Another file: a version loaded before is not read again.)
            var (terminalExit, terminal, _) = await ToxicCli.RunInTerminalAsync(["ingest", other], environment);
            Assert.True(terminalExit == 0, $"toxic ingest on a terminal exited {terminalExit}: {terminal}");
            Assert.Contains("Loaded load_id=", terminal, StringComparison.Ordinal);
            Assert.Contains("\rhash  ", terminal, StringComparison.Ordinal);
            Assert.Matches(@"\ringest  [0-9.]+ kB / [0-9.]+ kB  [0-9.]+ [kMG]?B/s  done in \d+s", terminal);
            var (_, validateTerminal, _) = await ToxicCli.RunInTerminalAsync(["validate"], environment);
            Assert.Matches(@"\rvalidate  (\d+) / \1 expectations  .*done in \d+s", validateTerminal);

            // --no-progress: the terminal gets the results only.
            var (_, quiet, _) = await ToxicCli.RunInTerminalAsync(["validate", "--no-progress"], environment);
            Assert.Contains("suite staging:", quiet, StringComparison.Ordinal);
            Assert.DoesNotContain("expectations  ", quiet, StringComparison.Ordinal);
            Assert.DoesNotContain("done in", quiet, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
            File.Delete(other);
        }
    }
}
