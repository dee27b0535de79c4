namespace ToxicFunctions.Tests.Infrastructure;

/// <summary>Prometheus' promtool (Debian's prometheus package), run to its end through <see cref="ChildProcess"/>.</summary>
internal static class Promtool
{
    private const string MissingHint = "promtool comes with Debian's prometheus package: scripts/services.sh up (run by ./test.sh) installs it, or apt-get install prometheus.";

    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs <c>promtool ARGUMENTS</c> in <paramref name="workingDirectory"/> and fails the test with its output unless it exits 0.</summary>
    public static string Succeed(IReadOnlyList<string> arguments, string workingDirectory, string? input = null)
    {
        var (exitCode, output, error) = ChildProcess.Run("promtool", arguments, workingDirectory, s_timeout, MissingHint, input);
        Assert.True(exitCode == 0, $"promtool {string.Join(' ', arguments)} exited with {exitCode}:\n{output}\n{error}");
        return output + error;
    }
}
