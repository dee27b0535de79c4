using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ToxicFunctions.Lake;

/// <summary>
/// The files of a Delta table's transaction log: commit <c>N</c> is <c>_delta_log/N.json</c> (N zero-padded to 20
/// digits), newline-delimited JSON with one <see cref="DeltaAction"/> per line.
/// </summary>
/// <remarks>Source: github.com/delta-io/delta PROTOCOL.md, "Delta Log Entries".</remarks>
public static class DeltaLog
{
    /// <summary>The log folder under the table root.</summary>
    public const string Folder = "_delta_log/";

    /// <summary>Content type of commit files.</summary>
    public const string ContentType = "application/x-ndjson";

    private static readonly JsonSerializerOptions s_json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The log folder's key under <paramref name="root"/> (a key prefix, empty or ending in '/').</summary>
    public static string FolderKey(string root) => root + Folder;

    /// <summary>The key of commit <paramref name="version"/>.</summary>
    public static string CommitKey(string root, long version) =>
        FolderKey(root) + version.ToString("D20", CultureInfo.InvariantCulture) + ".json";

    /// <summary>The version of a commit file's key, or null when the key is not a commit (a checkpoint, a temporary file, ...).</summary>
    public static long? CommitVersion(string key)
    {
        var name = key[(key.LastIndexOf('/') + 1)..];
        return name.Length == 25 && name.EndsWith(".json", StringComparison.Ordinal)
            && long.TryParse(name.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : null;
    }

    /// <summary>A commit file's content: one action per line, each ending in a newline.</summary>
    public static string Serialize(IEnumerable<DeltaAction> actions)
    {
        var text = new StringBuilder();
        foreach (var action in actions)
        {
            text.Append(JsonSerializer.Serialize(action, s_json)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The actions of a commit file; blank lines are skipped.</summary>
    /// <exception cref="InvalidDataException">A line is not a JSON action (message: the file and the line number).</exception>
    public static IReadOnlyList<DeltaAction> Parse(string content, string source)
    {
        var actions = new List<DeltaAction>();
        var number = 0;
        foreach (var line in content.Split('\n'))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                actions.Add(JsonSerializer.Deserialize<DeltaAction>(line, s_json)
                    ?? throw new InvalidDataException($"{source} line {number}: null is not an action."));
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{source} line {number}: not a Delta action ({e.Message}).", e);
            }
        }

        return actions;
    }
}
