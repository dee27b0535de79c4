using System.Text.Json.Nodes;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Deploy;

/// <summary>
/// deploy/grafana/toxicfunctions.json as Grafana imports it: type-checked against Grafana's dashboard model by
/// tests/grafana-schema (node check.mjs: npm @grafana/schema's <c>Dashboard</c> type, TypeScript strict), its panels
/// in a row per area, on the Prometheus data source variable, with units, and querying only metrics the app exports
/// (<see cref="ExportedMetrics"/>), each of which has a panel.
/// </summary>
/// <remarks>Fails (never skips) when node or the npm packages are missing: ./test.sh installs them (npm ci).</remarks>
public sealed class GrafanaDashboardTests
{
    private const string DashboardPath = "deploy/grafana/toxicfunctions.json";
    private static readonly string[] s_packages = ["@grafana/schema", "typescript"];
    private static readonly string[] s_rows = ["Ingest", "Stream", "Quality", "Training", "Scoring"];

    [Fact]
    public void The_dashboard_matches_the_Grafana_dashboard_schema()
    {
        var (exitCode, output, error) = Check(Repository.PathOf(DashboardPath));
        Assert.True(exitCode == 0, $"tests/grafana-schema/check.mjs rejected {DashboardPath}:\n{error}");
        Assert.Contains("1 dashboard(s) match", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_schema_check_rejects_an_unknown_property_and_a_wrong_type()
    {
        var dashboard = Dashboard();
        dashboard["panels"]![1]!["titel"] = "typo";
        dashboard["schemaVersion"] = "41";
        var work = Directory.CreateTempSubdirectory("toxic-grafana-");
        try
        {
            var path = Path.Combine(work.FullName, "broken.json");
            File.WriteAllText(path, dashboard.ToJsonString());
            var (exitCode, _, error) = Check(path);
            Assert.NotEqual(0, exitCode);
            Assert.Contains("titel", error, StringComparison.Ordinal);
            Assert.Contains("schemaVersion", error, StringComparison.Ordinal);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public void Panels_sit_in_a_row_per_area_on_the_data_source_variable_with_units()
    {
        var dashboard = Dashboard();
        var variables = dashboard["templating"]!["list"]!.AsArray();
        var datasource = Assert.Single(variables, v => (string?)v!["type"] == "datasource")!;
        Assert.Equal(("datasource", "prometheus"), ((string?)datasource["name"], (string?)datasource["query"]));

        var panels = dashboard["panels"]!.AsArray().Select(p => p!).ToList();
        Assert.Equal(s_rows, panels.Where(p => (string?)p["type"] == "row").Select(p => (string?)p["title"]));
        Assert.Equal("row", (string?)panels[0]["type"]);
        var ids = panels.Select(p => (int)p["id"]!).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        foreach (var panel in panels.Where(p => (string?)p["type"] != "row"))
        {
            var title = (string?)panel["title"];
            Assert.Equal("${datasource}", (string?)panel["datasource"]!["uid"]);
            Assert.False(string.IsNullOrEmpty((string?)panel["fieldConfig"]!["defaults"]!["unit"]), $"{title}: no unit");
            Assert.False(string.IsNullOrEmpty((string?)panel["description"]), $"{title}: no description");
            var grid = panel["gridPos"]!;
            Assert.InRange((int)grid["x"]! + (int)grid["w"]!, 1, 24);
            var targets = panel["targets"]!.AsArray();
            Assert.NotEmpty(targets);
            Assert.All(targets, t =>
            {
                Assert.Equal(("prometheus", "${datasource}"), ((string?)t!["datasource"]!["type"], (string?)t["datasource"]!["uid"]));
                Assert.Contains("$job", (string)t["expr"]!, StringComparison.Ordinal);
            });
        }

        // No two panels overlap on the 24-column grid.
        var cells = new HashSet<(int, int)>();
        foreach (var grid in panels.Select(p => p["gridPos"]!))
        {
            for (var y = (int)grid["y"]!; y < (int)grid["y"]! + (int)grid["h"]!; y++)
            {
                for (var x = (int)grid["x"]!; x < (int)grid["x"]! + (int)grid["w"]!; x++)
                {
                    Assert.True(cells.Add((x, y)), $"two panels cover column {x}, row {y}");
                }
            }
        }
    }

    [Fact]
    public async Task Every_panel_queries_only_metrics_the_app_exports_and_every_family_has_a_panel()
    {
        var exported = await ExportedMetrics.GetAsync();
        var named = Expressions().SelectMany(ExportedMetrics.MetricNamesIn).ToHashSet(StringComparer.Ordinal);
        var unknown = named.Except(exported.Series, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        Assert.True(unknown.Count == 0, $"the dashboard queries {string.Join(", ", unknown)}, which the app does not export");

        // A family is shown when a panel queries one of its series (name, or name_bucket/_sum/_count).
        var unshown = exported.Families
            .Where(f => !named.Overlaps([f, f + "_bucket", f + "_sum", f + "_count"]))
            .Order(StringComparer.Ordinal).ToList();
        Assert.True(unshown.Count == 0, $"no panel shows {string.Join(", ", unshown)}");
    }

    /// <summary>Every query of the dashboard (panel targets), for tests that run them against a real Prometheus.</summary>
    internal static IReadOnlyList<string> Expressions() =>
        [.. Dashboard()["panels"]!.AsArray().SelectMany(p => p!["targets"]?.AsArray() ?? []).Select(t => (string)t!["expr"]!)];

    private static JsonObject Dashboard() =>
        JsonNode.Parse(File.ReadAllText(Repository.PathOf(DashboardPath)))!.AsObject();

    private static (int ExitCode, string Output, string Error) Check(string dashboard)
    {
        var directory = Repository.PathOf("tests/grafana-schema");
        foreach (var package in s_packages)
        {
            if (!File.Exists(Path.Combine(directory, "node_modules", package, "package.json")))
            {
                throw new InvalidOperationException($"The npm package {package} is not installed in {directory}: run `npm ci` there (./test.sh does).");
            }
        }

        return ChildProcess.Run(
            "node", ["check.mjs", dashboard], directory, TimeSpan.FromMinutes(2),
            "the dashboard check needs node: scripts/services.sh up (run by ./test.sh) installs it, or apt-get install nodejs npm.");
    }
}
