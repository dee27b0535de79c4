namespace ToxicFunctions.Tests.Infrastructure;

/// <summary>
/// The project's real sample data, ../shared/data/text_comment_1.csv beside the repository (never copied into it).
/// Tests that need it fail when it is missing, unless TOXIC_ALLOW_MISSING_SAMPLE=1 says to run without it.
/// </summary>
internal static class SampleData
{
    private const string RelativePath = "shared/data/text_comment_1.csv";

    /// <summary>The file's path, or null when it is absent and TOXIC_ALLOW_MISSING_SAMPLE=1.</summary>
    public static string? Path { get; } = Locate();

    /// <summary>Whether tests should run without the sample data.</summary>
    public static bool MayBeMissing => Environment.GetEnvironmentVariable("TOXIC_ALLOW_MISSING_SAMPLE") == "1";

    /// <summary>The file's path; fails the test when it is absent.</summary>
    public static string RequirePath() =>
        Path ?? throw new InvalidOperationException(
            $"Sample data not found: set TOXIC_SAMPLE_DATA to the csv, or put {RelativePath} in a folder above "
            + $"{AppContext.BaseDirectory}. Set TOXIC_ALLOW_MISSING_SAMPLE=1 to run without it.");

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
