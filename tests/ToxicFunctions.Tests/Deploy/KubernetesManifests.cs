using System.Text;
using System.Text.Json;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Deploy;

/// <summary>
/// deploy/k8s as it is applied: the base and each overlay rendered and schema-validated by tests/k8s-manifests
/// (node check.mjs: a renderer of the kustomization fields used, and npm kubernetes-models / @kubernetes-models/keda),
/// read back as JSON. Rendered once per test run.
/// </summary>
/// <remarks>
/// Fails (never skips) when node or the npm packages are missing: ./test.sh installs the packages (npm ci), and
/// scripts/services.sh up installs node.
/// </remarks>
internal static class KubernetesManifests
{
    /// <summary>The npm packages check.mjs imports, each with the version package-lock.json pins.</summary>
    private static readonly string[] s_packages = ["kubernetes-models", "@kubernetes-models/keda", "yaml"];
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);
    private static readonly Lazy<string> s_root = new(LocateRoot);
    private static readonly Lazy<IReadOnlyList<RenderedTarget>> s_targets = new(Render);

    /// <summary>The root of this checkout.</summary>
    public static string Root => s_root.Value;

    /// <summary>deploy/k8s/base, then every deploy/k8s/overlays/NAME, as rendered.</summary>
    public static IReadOnlyList<RenderedTarget> Targets => s_targets.Value;

    private static string LocateRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "tests", "k8s-manifests", "package.json"))
                && Directory.Exists(Path.Combine(dir.FullName, "deploy", "k8s")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"tests/k8s-manifests and deploy/k8s not found above {AppContext.BaseDirectory}");
    }

    private static IReadOnlyList<RenderedTarget> Render()
    {
        var directory = Path.Combine(Root, "tests", "k8s-manifests");
        foreach (var package in s_packages)
        {
            if (!File.Exists(Path.Combine(directory, "node_modules", package, "package.json")))
            {
                throw new InvalidOperationException(
                    $"The npm package {package} is not installed in {directory}: run `npm ci` there (./test.sh does).");
            }
        }

        var (exitCode, output, error) = ChildProcess.Run(
            "node", ["check.mjs", Root], directory, s_timeout,
            "the manifest checks need node: scripts/services.sh up (run by ./test.sh) installs it, or apt-get install nodejs npm.");
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"tests/k8s-manifests/check.mjs exited with {exitCode}:\n{error}");
        }

        using var json = JsonDocument.Parse(output);
        return [.. json.RootElement.GetProperty("targets").EnumerateArray().Select(t => new RenderedTarget(
            t.GetProperty("path").GetString()!,
            [.. t.GetProperty("documents").EnumerateArray().Select(d => d.Clone())]))];
    }
}

/// <summary>One rendered kustomization: its path (relative to the checkout) and its resources.</summary>
internal sealed record RenderedTarget(string Path, IReadOnlyList<JsonElement> Documents)
{
    /// <summary>The image of the Function App's pods (the repository part, without a tag).</summary>
    public const string FunctionsImage = "toxicfunctions/functions";

    /// <summary>The host setting that restricts a host to some functions: AzureFunctionsJobHost__functions__N.</summary>
    public const string FunctionsSettingPrefix = "AzureFunctionsJobHost__functions__";

    public IEnumerable<JsonElement> OfKind(string kind) => Documents.Where(d => d.Str("kind") == kind);

    public JsonElement? Find(string kind, string name) =>
        OfKind(kind).Select(d => (JsonElement?)d).FirstOrDefault(d => d!.Value.Str("metadata", "name") == name);

    /// <summary>The Deployments that run the Function App's image.</summary>
    public IEnumerable<JsonElement> FunctionDeployments() => OfKind("Deployment").Where(d => Containers(d).Any(IsFunctionsContainer));

    public static IEnumerable<JsonElement> Containers(JsonElement deployment) =>
        deployment.At("spec", "template", "spec", "containers") is { ValueKind: JsonValueKind.Array } containers
            ? containers.EnumerateArray()
            : [];

    public static bool IsFunctionsContainer(JsonElement container)
    {
        var image = container.Str("image") ?? "";
        return image == FunctionsImage || image.StartsWith(FunctionsImage + ":", StringComparison.Ordinal)
            || image.StartsWith(FunctionsImage + "@", StringComparison.Ordinal);
    }

    public static JsonElement FunctionsContainer(JsonElement deployment) => Assert.Single(Containers(deployment), IsFunctionsContainer);

    /// <summary>The one Deployment that runs the CDC relay's image (fails unless there is exactly one).</summary>
    public JsonElement RelayDeployment() =>
        Assert.Single(OfKind("Deployment"), d => Containers(d).Any(c => CdcRelayContainer.IsRelayImage(c.Str("image"))));

    public static JsonElement RelayContainer(JsonElement deployment) =>
        Assert.Single(Containers(deployment), c => CdcRelayContainer.IsRelayImage(c.Str("image")));

    /// <summary>The functions a Deployment's host is restricted to, in index order; fails on a gap in the indices.</summary>
    public static IReadOnlyList<string> FunctionsOf(JsonElement deployment)
    {
        var byIndex = new SortedDictionary<int, string>();
        foreach (var env in Env(FunctionsContainer(deployment)))
        {
            var name = env.Str("name")!;
            if (name.StartsWith(FunctionsSettingPrefix, StringComparison.Ordinal))
            {
                var suffix = name[FunctionsSettingPrefix.Length..];
                Assert.True(
                    int.TryParse(suffix, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index),
                    $"{Name(deployment)}: {name} is not {FunctionsSettingPrefix}<index>");
                Assert.True(byIndex.TryAdd(index, env.Str("value") ?? ""), $"{Name(deployment)}: {name} is set twice");
            }
        }

        Assert.True(
            byIndex.Keys.SequenceEqual(Enumerable.Range(0, byIndex.Count)),
            $"{Name(deployment)}: the indices of {FunctionsSettingPrefix}N are {string.Join(", ", byIndex.Keys)}; the host reads an array, so they must be 0..N without gaps");
        return [.. byIndex.Values];
    }

    public static IEnumerable<JsonElement> Env(JsonElement container) =>
        container.At("env") is { ValueKind: JsonValueKind.Array } env ? env.EnumerateArray() : [];

    public static IEnumerable<JsonElement> EnvFrom(JsonElement container) =>
        container.At("envFrom") is { ValueKind: JsonValueKind.Array } envFrom ? envFrom.EnumerateArray() : [];

    public static string Name(JsonElement resource) => resource.Str("metadata", "name")!;

    public static IReadOnlyDictionary<string, string> Labels(JsonElement? labels) =>
        labels is { ValueKind: JsonValueKind.Object } l
            ? l.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "")
            : new Dictionary<string, string>();

    public static IReadOnlyDictionary<string, string> PodLabels(JsonElement deployment) =>
        Labels(deployment.At("spec", "template", "metadata", "labels"));

    /// <summary>Whether every label of the selector is on the pod (an empty selector selects nothing here).</summary>
    public static bool Selects(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> pod) =>
        selector.Count > 0 && selector.All(s => pod.TryGetValue(s.Key, out var value) && value == s.Value);

    /// <summary>The keys and values of a ConfigMap's data or a Secret's stringData and (base64) data.</summary>
    public IReadOnlyDictionary<string, string> DataOf(string kind, string name)
    {
        var resource = Find(kind, name) ?? throw new InvalidOperationException($"{Path}: {kind} {name} does not exist");
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        if (resource.At("data") is { ValueKind: JsonValueKind.Object } plain)
        {
            foreach (var p in plain.EnumerateObject())
            {
                data[p.Name] = kind == "Secret" ? Encoding.UTF8.GetString(Convert.FromBase64String(p.Value.GetString()!)) : p.Value.GetString()!;
            }
        }

        if (resource.At("stringData") is { ValueKind: JsonValueKind.Object } text)
        {
            foreach (var p in text.EnumerateObject())
            {
                data[p.Name] = p.Value.GetString()!;
            }
        }

        return data;
    }

    /// <summary>The ScaledObject that scales a Deployment (fails unless there is exactly one).</summary>
    public JsonElement ScaledObjectOf(JsonElement deployment) =>
        Assert.Single(OfKind("ScaledObject"), s => s.Str("spec", "scaleTargetRef", "name") == Name(deployment));

    /// <summary>The function Deployment that runs a function (fails unless there is exactly one).</summary>
    public JsonElement DeploymentRunning(string function) =>
        Assert.Single(FunctionDeployments(), d => FunctionsOf(d).Contains(function));

    public override string ToString() => Path;
}

/// <summary>Navigation of rendered JSON.</summary>
internal static class JsonPath
{
    /// <summary>The element at the path of property names, or null where one is missing.</summary>
    public static JsonElement? At(this JsonElement element, params string[] path)
    {
        var current = element;
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }

        return current;
    }

    public static JsonElement? At(this JsonElement? element, params string[] path) => element?.At(path);

    /// <summary>The string at the path, or null.</summary>
    public static string? Str(this JsonElement element, params string[] path) =>
        element.At(path) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    /// <summary>The integer at the path, or null.</summary>
    public static int? Int(this JsonElement element, params string[] path) =>
        element.At(path) is { ValueKind: JsonValueKind.Number } value ? value.GetInt32() : null;
}
