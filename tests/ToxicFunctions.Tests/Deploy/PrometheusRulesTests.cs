using System.Text.RegularExpressions;
using ToxicFunctions.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace ToxicFunctions.Tests.Deploy;

/// <summary>
/// deploy/prometheus as Prometheus reads it: promtool checks the alert rules and the scrape config and runs the rules'
/// unit tests (alerts.test.yml); every alert is tested firing and quiet, is labelled and annotated with a runbook in
/// the README, and names only metrics the app exports (<see cref="ExportedMetrics"/>).
/// </summary>
public sealed partial class PrometheusRulesTests
{
    private static readonly string s_directory = Repository.PathOf("deploy/prometheus");

    [Fact]
    public void Promtool_accepts_the_alert_rules()
    {
        var output = Promtool.Succeed(["check", "rules", "alerts.yml"], s_directory);
        Assert.Contains($"SUCCESS: {Alerts().Count} rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_alerts_pass_their_promtool_unit_tests() =>
        Promtool.Succeed(["test", "rules", "alerts.test.yml"], s_directory);

    [Fact]
    public void Every_alert_has_a_unit_test_where_it_fires_and_one_where_it_stays_quiet()
    {
        var firing = new HashSet<string>(StringComparer.Ordinal);
        var quiet = new HashSet<string>(StringComparer.Ordinal);
        foreach (var test in Sequence(Load("alerts.test.yml"), "tests"))
        {
            foreach (var check in Sequence(test, "alert_rule_test"))
            {
                var name = Scalar(check, "alertname")!;
                (Sequence(check, "exp_alerts").Any() ? firing : quiet).Add(name);
            }
        }

        var alerts = Alerts().Select(a => Scalar(a, "alert")!).ToList();
        Assert.NotEmpty(alerts);
        Assert.Empty(alerts.Except(firing, StringComparer.Ordinal));
        Assert.Empty(alerts.Except(quiet, StringComparer.Ordinal));
        Assert.Empty(firing.Union(quiet).Except(alerts, StringComparer.Ordinal)); // no test of an alert that is gone
    }

    [Fact]
    public void Every_alert_has_a_severity_a_summary_a_description_and_a_runbook_in_the_README()
    {
        var readme = File.ReadAllText(Repository.PathOf("README.md"));
        var anchors = Heading().Matches(readme).Select(m => Slug(m.Groups["title"].Value)).ToHashSet(StringComparer.Ordinal);
        foreach (var alert in Alerts())
        {
            var name = Scalar(alert, "alert")!;
            Assert.Matches("^Toxic[A-Z][A-Za-z]+$", name);
            Assert.Contains(Scalar(Mapping(alert, "labels"), "severity"), new[] { "warning", "critical" });
            Assert.False(string.IsNullOrWhiteSpace(Scalar(Mapping(alert, "annotations"), "summary")), $"{name}: no summary");
            Assert.False(string.IsNullOrWhiteSpace(Scalar(Mapping(alert, "annotations"), "description")), $"{name}: no description");
            var runbook = Scalar(Mapping(alert, "annotations"), "runbook") ?? "";
            Assert.StartsWith("README.md#", runbook, StringComparison.Ordinal);
            Assert.True(anchors.Contains(runbook["README.md#".Length..]), $"{name}: its runbook {runbook} is no heading of README.md");
        }
    }

    [Fact]
    public async Task The_rules_and_their_tests_name_only_metrics_the_app_exports()
    {
        var exported = await ExportedMetrics.GetAsync();
        var named = Alerts().SelectMany(a => ExportedMetrics.MetricNamesIn(Scalar(a, "expr")!))
            .Concat(Sequence(Load("alerts.test.yml"), "tests").SelectMany(t => Sequence(t, "input_series"))
                .SelectMany(s => ExportedMetrics.MetricNamesIn(Scalar(s, "series")!)))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Contains("toxic_stream_consumer_lag", named);
        var unknown = named.Except(exported.Series, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        Assert.True(unknown.Count == 0, $"not exported by the app: {string.Join(", ", unknown)}; it exports {string.Join(", ", exported.Series.Order(StringComparer.Ordinal))}");
    }

    /// <summary>
    /// Debian's promtool is built without Kubernetes service discovery, which the in-cluster Prometheus has: the
    /// config is checked with each kubernetes_sd_configs swapped for an empty static_configs (the relabelling, the
    /// rest of the job and the rule files all checked as they are), and the discovery itself by
    /// <see cref="The_pod_job_discovers_the_pods_of_deploy_k8s"/>.
    /// </summary>
    [Fact]
    public void Promtool_accepts_the_scrape_config()
    {
        var config = Load("prometheus.yml");
        foreach (var job in Sequence(config, "scrape_configs").Cast<YamlMappingNode>())
        {
            if (job.Children.Remove(new YamlScalarNode("kubernetes_sd_configs")))
            {
                job.Children[new YamlScalarNode("static_configs")] = new YamlSequenceNode();
            }
        }

        var work = Directory.CreateTempSubdirectory("toxic-promconfig-");
        try
        {
            File.Copy(Path.Combine(s_directory, "alerts.yml"), Path.Combine(work.FullName, "alerts.yml"));
            using (var writer = new StreamWriter(Path.Combine(work.FullName, "prometheus.yml")))
            {
                new YamlStream(new YamlDocument(config)).Save(writer, assignAnchors: false);
            }

            var output = Promtool.Succeed(["check", "config", "prometheus.yml"], work.FullName);
            Assert.Contains($"SUCCESS: {Alerts().Count} rules found", output, StringComparison.Ordinal);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_pod_job_discovers_the_pods_of_deploy_k8s()
    {
        var jobs = Sequence(Load("prometheus.yml"), "scrape_configs").ToList();
        Assert.Contains(jobs, j => Sequence(j, "static_configs").SelectMany(s => Sequence(s, "targets")).Any(t => ((YamlScalarNode)t).Value == "127.0.0.1:7071"));
        var pods = Assert.Single(jobs, j => Sequence(j, "kubernetes_sd_configs").Any());
        var discovery = Assert.Single(Sequence(pods, "kubernetes_sd_configs"));
        Assert.Equal("pod", Scalar(discovery, "role"));
        var namespaces = Sequence(Mapping(discovery, "namespaces"), "names").Select(n => ((YamlScalarNode)n).Value).ToList();

        // The pods it keeps: each keep rule on a pod label or annotation must match the Function App's pods as rendered.
        var keeps = Sequence(pods, "relabel_configs").Where(r => Scalar(r, "action") == "keep")
            .Select(r => (Source: Scalar((YamlSequenceNode)r["source_labels"], 0)!, Regex: Scalar(r, "regex")!)).ToList();
        var prefixes = new[] { "__meta_kubernetes_pod_label_", "__meta_kubernetes_pod_annotation_" };
        Assert.All(prefixes, prefix => Assert.Contains(keeps, k => k.Source.StartsWith(prefix, StringComparison.Ordinal)));
        var local = KubernetesManifests.Targets.Single(t => t.Path == "deploy/k8s/overlays/local");
        Assert.NotEmpty(local.FunctionDeployments());
        foreach (var deployment in local.FunctionDeployments())
        {
            Assert.Contains(deployment.Str("metadata", "namespace"), namespaces);
            var metadata = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal)
            {
                [prefixes[0]] = RenderedTarget.PodLabels(deployment),
                [prefixes[1]] = RenderedTarget.Labels(deployment.At("spec", "template", "metadata", "annotations")),
            };
            foreach (var (source, regex) in keeps.Where(k => prefixes.Any(p => k.Source.StartsWith(p, StringComparison.Ordinal))))
            {
                var prefix = prefixes.Single(p => source.StartsWith(p, StringComparison.Ordinal));
                var value = metadata[prefix].FirstOrDefault(l => Sanitize(l.Key) == source[prefix.Length..]).Value ?? "";
                Assert.True(Regex.IsMatch(value, $"^(?:{regex})$"), $"{RenderedTarget.Name(deployment)}: {source} is \"{value}\", which the pod job's keep rule {regex} drops");
            }

            // The port it scrapes, from the annotation, is a port number.
            var port = metadata[prefixes[1]].GetValueOrDefault("prometheus.io/port");
            Assert.True(int.TryParse(port, out var number) && number is > 0 and < 65536, $"{RenderedTarget.Name(deployment)}: prometheus.io/port is {port}");
        }
    }

    private static List<YamlMappingNode> Alerts() =>
        [.. Sequence(Load("alerts.yml"), "groups").SelectMany(g => Sequence(g, "rules")).Cast<YamlMappingNode>()];

    private static YamlMappingNode Load(string file)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(s_directory, file));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static IEnumerable<YamlNode> Sequence(YamlNode node, string key) =>
        node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlSequenceNode sequence
            ? sequence.Children
            : [];

    private static YamlMappingNode Mapping(YamlNode node, string key) =>
        (YamlMappingNode)((YamlMappingNode)node).Children[new YamlScalarNode(key)];

    private static string? Scalar(YamlNode node, string key) =>
        ((YamlMappingNode)node).Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;

    private static string? Scalar(YamlSequenceNode node, int index) => ((YamlScalarNode)node.Children[index]).Value;

    // Prometheus' name of a Kubernetes label in discovery: every character outside [a-zA-Z0-9_] becomes '_'.
    private static string Sanitize(string label) => Regex.Replace(label, "[^a-zA-Z0-9_]", "_");

    // GitHub's anchor of a heading: lower case, punctuation but '-' dropped, spaces to '-'.
    private static string Slug(string title) => Regex.Replace(title.Trim().ToLowerInvariant(), @"[^\p{L}\p{N}\- _]", "").Replace(' ', '-');

    [GeneratedRegex(@"(?m)^#{1,6} (?<title>.+)$")]
    private static partial Regex Heading();
}
