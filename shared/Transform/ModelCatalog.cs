using System.Reflection;

namespace ToxicFunctions.Transform;

/// <summary>
/// The transform's SQL files, embedded in this assembly: the models in dependency order (a topological order of their
/// <c>depends_on</c> headers, file name order among the ready ones) and the post-steps (shared/Transform/Post, in file
/// name order) that run after the contract and tests pass.
/// </summary>
public sealed class ModelCatalog
{
    private const string ModelPrefix = "ToxicFunctions.Transform.Models.";
    private const string PostPrefix = "ToxicFunctions.Transform.Post.";
    private const string DependsOnHeader = "-- depends_on:";

    private ModelCatalog(IReadOnlyList<TransformModel> models, IReadOnlyList<TransformModel> postSteps)
    {
        Models = models;
        PostSteps = postSteps;
    }

    /// <summary>The models, in the order they run.</summary>
    public IReadOnlyList<TransformModel> Models { get; }

    /// <summary>The post-steps (indexes, ANALYZE), in the order they run.</summary>
    public IReadOnlyList<TransformModel> PostSteps { get; }

    /// <summary>The catalog embedded in this assembly.</summary>
    public static ModelCatalog Embedded { get; } = new(
        Order(Read(ModelPrefix)),
        [.. Read(PostPrefix).OrderBy(m => m.FileName, StringComparer.Ordinal)]);

    /// <summary>Orders models so that each runs after the models it depends on; fails on unknown names and cycles.</summary>
    public static IReadOnlyList<TransformModel> Order(IEnumerable<TransformModel> models)
    {
        var pending = models.OrderBy(m => m.FileName, StringComparer.Ordinal).ToList();
        var names = pending.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var model in pending)
        {
            var unknown = model.DependsOn.Where(d => !names.Contains(d)).ToList();
            if (unknown.Count > 0)
            {
                throw new InvalidOperationException($"Model {model.FileName} depends on unknown model(s) {string.Join(", ", unknown)}.");
            }
        }

        var done = new HashSet<string>(StringComparer.Ordinal);
        var ordered = new List<TransformModel>();
        while (pending.Count > 0)
        {
            var ready = pending.FirstOrDefault(m => m.DependsOn.All(done.Contains))
                ?? throw new InvalidOperationException($"Models depend on each other in a cycle: {string.Join(", ", pending.Select(m => m.Name))}.");
            ordered.Add(ready);
            done.Add(ready.Name);
            pending.Remove(ready);
        }

        return ordered;
    }

    /// <summary>Reads a model from its file name and SQL text.</summary>
    public static TransformModel Parse(string fileName, string sql)
    {
        var stem = Path.GetFileNameWithoutExtension(fileName);
        var underscore = stem.IndexOf('_', StringComparison.Ordinal);
        var name = underscore > 0 && stem[..underscore].All(char.IsAsciiDigit) ? stem[(underscore + 1)..] : stem;
        var dependsOn = sql.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith(DependsOnHeader, StringComparison.Ordinal))
            .SelectMany(line => line[DependsOnHeader.Length..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
        return new TransformModel(name, fileName, sql, dependsOn);
    }

    private static IEnumerable<TransformModel> Read(string prefix)
    {
        var assembly = typeof(ModelCatalog).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            yield return Parse(resource[prefix.Length..], ReadText(assembly, resource));
        }
    }

    private static string ReadText(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
