using System.Security.Cryptography;
using System.Text.Json;

namespace ToxicFunctions.Quality;

/// <summary>
/// Reads suite files: the ones embedded in this assembly (shared/Quality/suites/NAME.json) by name, or any file by
/// path. A suite is checked whole when it is read, so a typo fails before anything runs.
/// </summary>
public static class SuiteLoader
{
    private const string ResourcePrefix = "ToxicFunctions.Quality.suites.";

    /// <summary>The names of the embedded suites.</summary>
    public static IReadOnlyList<string> EmbeddedNames { get; } =
    [
        .. typeof(SuiteLoader).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..^".json".Length])
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>Reads an embedded suite by name (e.g. <c>staging</c>).</summary>
    public static LoadedSuite LoadEmbedded(string name)
    {
        if (!EmbeddedNames.Contains(name, StringComparer.Ordinal))
        {
            throw new SuiteDefinitionException($"No suite named '{name}'; known: {string.Join(", ", EmbeddedNames)}.");
        }

        using var stream = typeof(SuiteLoader).Assembly.GetManifestResourceStream(ResourcePrefix + name + ".json")!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Parse(buffer.ToArray(), $"embedded suite {name}");
    }

    /// <summary>Reads a suite file.</summary>
    public static async Task<LoadedSuite> LoadFileAsync(string path, CancellationToken cancellationToken = default) =>
        Parse(await File.ReadAllBytesAsync(path, cancellationToken), path);

    /// <summary>Parses and checks a suite's JSON.</summary>
    public static LoadedSuite Parse(ReadOnlySpan<byte> json, string origin)
    {
        ExpectationSuite? suite;
        try
        {
            suite = JsonSerializer.Deserialize<ExpectationSuite>(json, QualityJson.Options);
        }
        catch (JsonException e)
        {
            throw new SuiteDefinitionException($"{origin}: {e.Message}", e);
        }
        catch (NotSupportedException e)
        {
            throw new SuiteDefinitionException($"{origin}: {e.Message}", e);
        }

        if (suite is null)
        {
            throw new SuiteDefinitionException($"{origin}: the file holds no suite.");
        }

        var problems = Problems(suite).ToList();
        if (problems.Count > 0)
        {
            throw new SuiteDefinitionException($"{origin}: {string.Join("; ", problems)}");
        }

        return new LoadedSuite(suite, Convert.ToHexStringLower(SHA256.HashData(json)), origin);
    }

    private static IEnumerable<string> Problems(ExpectationSuite suite)
    {
        if (string.IsNullOrWhiteSpace(suite.Name))
        {
            yield return "name must not be empty";
        }

        if (suite.SampleSize is < 0 or > 1000)
        {
            yield return "sample_size must be within 0..1000";
        }

        if (suite.Expectations.Count == 0)
        {
            yield return "expectations must not be empty";
        }

        foreach (var id in suite.Expectations.GroupBy(e => e.Id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            yield return $"expectation id '{id}' is used more than once";
        }

        foreach (var expectation in suite.Expectations)
        {
            if (string.IsNullOrWhiteSpace(expectation.Id))
            {
                yield return $"a {expectation.Type} expectation has no id";
            }

            if (expectation.NeedsColumn && string.IsNullOrEmpty(expectation.Column))
            {
                yield return $"{expectation.Id}: {expectation.Type} needs a column";
            }

            foreach (var problem in expectation.Problems())
            {
                yield return $"{expectation.Id}: {problem}";
            }
        }
    }
}
