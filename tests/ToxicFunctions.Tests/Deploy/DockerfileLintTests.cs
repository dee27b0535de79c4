using System.Text;
using System.Text.Json;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Deploy;

/// <summary>
/// Every Dockerfile of the repository passes npm dockerfilelint (tests/dockerfile-lint, pinned by its
/// package-lock.json; ./test.sh runs npm ci there): exit code 0 and no issue in its JSON report.
/// </summary>
/// <remarks>Fails (never skips) when node or the npm package is missing, saying what to install.</remarks>
public sealed class DockerfileLintTests
{
    private const string Version = "1.8.0";
    private static readonly string[] s_skippedFolders = ["node_modules", "bin", "obj", ".git", ".local", "TestResults"];

    [Fact]
    public void Repository_has_the_function_app_dockerfile()
    {
        Assert.Contains("functions/Dockerfile", Dockerfiles().Select(f => Path.GetRelativePath(Repository.Root, f).Replace('\\', '/')));
    }

    [Fact]
    public void Every_dockerfile_is_lint_clean()
    {
        var linter = Linter();
        var dockerfiles = Dockerfiles();
        Assert.NotEmpty(dockerfiles);

        var problems = new StringBuilder();
        foreach (var dockerfile in dockerfiles)
        {
            var relative = Path.GetRelativePath(Repository.Root, dockerfile).Replace('\\', '/');
            var (exitCode, output, error) = ChildProcess.Run(
                "node", [linter, "-o", "json", dockerfile], Repository.Root, TimeSpan.FromMinutes(2), NodeHint);

            JsonDocument report;
            try
            {
                report = JsonDocument.Parse(output);
            }
            catch (JsonException e)
            {
                throw new InvalidOperationException($"dockerfilelint {relative} exited with {exitCode} and no JSON report:\n{output}\n{error}", e);
            }

            using (report)
            {
                var total = report.RootElement.GetProperty("totalIssues").GetInt32();
                var files = report.RootElement.GetProperty("files").EnumerateArray().ToList();
                Assert.True(files.Count == 1, $"dockerfilelint reported {files.Count} files for {relative}: {output}");
                foreach (var issue in files[0].GetProperty("issues").EnumerateArray())
                {
                    problems.Append(relative).Append(':').Append(issue.GetProperty("line").ToString())
                        .Append(": ").Append(issue.GetProperty("title").GetString())
                        .Append(" (").Append(issue.GetProperty("category").GetString()).Append("): ")
                        .Append(issue.GetProperty("content").GetString()).Append('\n');
                }

                if (exitCode != 0 || total != 0)
                {
                    problems.Append(relative).Append(": exit code ").Append(exitCode).Append(", ").Append(total).Append(" issues\n");
                }
            }
        }

        Assert.True(problems.Length == 0, $"dockerfilelint {Version} found problems:\n{problems}");
    }

    /// <summary>Every file named Dockerfile or *.Dockerfile / Dockerfile.* under the root, build output and packages excluded.</summary>
    private static List<string> Dockerfiles()
    {
        var found = new List<string>();
        var pending = new Stack<string>([Repository.Root]);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var sub in Directory.EnumerateDirectories(dir))
            {
                if (!s_skippedFolders.Contains(Path.GetFileName(sub), StringComparer.Ordinal))
                {
                    pending.Push(sub);
                }
            }

            foreach (var file in Directory.EnumerateFiles(dir))
            {
                var name = Path.GetFileName(file);
                if (name == "Dockerfile"
                    || name.EndsWith(".Dockerfile", StringComparison.Ordinal)
                    || (name.StartsWith("Dockerfile.", StringComparison.Ordinal) && !name.EndsWith(".dockerignore", StringComparison.Ordinal)))
                {
                    found.Add(file);
                }
            }
        }

        found.Sort(StringComparer.Ordinal);
        return found;
    }

    private const string NodeHint = "node runs dockerfilelint: scripts/services.sh up (run by ./test.sh) installs it, or apt-get install nodejs npm.";

    private static string Linter()
    {
        var project = Repository.PathOf("tests/dockerfile-lint");
        var package = Path.Combine(project, "node_modules", "dockerfilelint", "package.json");
        if (!File.Exists(package))
        {
            throw new InvalidOperationException(
                $"The npm package dockerfilelint is not installed in {project}: run `npm ci` there (./test.sh does).");
        }

        using var json = JsonDocument.Parse(File.ReadAllText(package));
        var version = json.RootElement.GetProperty("version").GetString();
        Assert.True(version == Version, $"{project} has dockerfilelint {version}, expected {Version}: run `npm ci` there.");
        return Path.Combine(project, "node_modules", "dockerfilelint", "bin", "dockerfilelint");
    }
}
