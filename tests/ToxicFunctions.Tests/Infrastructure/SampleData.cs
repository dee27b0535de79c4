using ToxicFunctions.Csv;

namespace ToxicFunctions.Tests.Infrastructure;

/// <summary>
/// The project's real sample data, ../shared/data/text_comment_1.csv beside the repository (never copied into it).
/// Tests that need it fail when it is missing, unless TOXIC_ALLOW_MISSING_SAMPLE=1 says to run without it.
/// </summary>
internal static class SampleData
{
    private const string RelativePath = "shared/data/text_comment_1.csv";

    private static readonly SemaphoreSlim s_prefixLock = new(1, 1);

    /// <summary>The file's path, or null when it is absent and TOXIC_ALLOW_MISSING_SAMPLE=1.</summary>
    public static string? Path { get; } = Locate();

    /// <summary>Whether tests should run without the sample data.</summary>
    public static bool MayBeMissing => Environment.GetEnvironmentVariable("TOXIC_ALLOW_MISSING_SAMPLE") == "1";

    /// <summary>The file's path; fails the test when it is absent.</summary>
    public static string RequirePath() =>
        Path ?? throw new InvalidOperationException(
            $"Sample data not found: set TOXIC_SAMPLE_DATA to the csv, or put {RelativePath} in a folder above "
            + $"{AppContext.BaseDirectory}. Set TOXIC_ALLOW_MISSING_SAMPLE=1 to run without it.");

    /// <summary>
    /// A CSV of the sample's first <paramref name="rows"/> records (written once per process into the temp folder): what
    /// the pipeline tests ingest, so that each of them encodes a few thousand comments rather than all 10,000.
    /// </summary>
    public static async Task<string> RequirePrefixAsync(int rows)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"toxic-sample-{Environment.ProcessId}-{rows}.csv");
        await s_prefixLock.WaitAsync();
        try
        {
            if (!File.Exists(path))
            {
                var (records, _) = await CommentCsvReader.ReadFileAsync(RequirePath());
                var csv = new System.Text.StringBuilder("comment_text,labels\n");
                foreach (var record in records.Take(rows))
                {
                    csv.Append('"').Append(record.Text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append("\",").Append(record.Label).Append('\n');
                }

                await File.WriteAllTextAsync(path, csv.ToString());
            }
        }
        finally
        {
            s_prefixLock.Release();
        }

        return path;
    }

    private static string? Locate()
    {
        var configured = Environment.GetEnvironmentVariable("TOXIC_SAMPLE_DATA");
        if (!string.IsNullOrEmpty(configured))
        {
            var file = Directory.Exists(configured) ? System.IO.Path.Combine(configured, "text_comment_1.csv") : configured;
            return File.Exists(file) ? file : throw new InvalidOperationException($"TOXIC_SAMPLE_DATA={configured}, but {file} does not exist");
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, RelativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
