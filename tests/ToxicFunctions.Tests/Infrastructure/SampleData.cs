using ToxicFunctions.Csv;
using ToxicFunctions.Training;

namespace ToxicFunctions.Tests.Infrastructure;

/// <summary>
/// The comments that the sample-data tests ingest and train on (<see cref="File"/>): the project's real sample,
/// ../shared/data/text_comment_1.csv beside the repository (never copied into it), where it is found, else the
/// generated <see cref="SyntheticSample"/>, so that a bare clone runs the same tests through the same code. Where
/// an assertion depends on the data (row counts, quality bars), <see cref="SampleFile.IsReal"/> chooses the value.
/// <c>TOXIC_SAMPLE_DATA</c> names the real file (or its folder); <c>TOXIC_SAMPLE_DATA=synthetic</c> uses the fixture
/// even where the real file is present, as a bare clone would.
/// </summary>
internal static class SampleData
{
    /// <summary>The value of <c>TOXIC_SAMPLE_DATA</c> that makes the tests use the generated fixture.</summary>
    public const string SyntheticSetting = "synthetic";

    /// <summary>Rows of the real sample.</summary>
    public const int RealRows = 10_000;

    /// <summary>Toxic rows of the real sample.</summary>
    public const int RealToxicRows = 971;

    private const string RelativePath = "shared/data/text_comment_1.csv";

    private static readonly Lazy<SampleFile> s_file = new(Open);
    private static readonly SemaphoreSlim s_prefixLock = new(1, 1);
    private static readonly Dictionary<int, SampleFile> s_prefixes = [];

    /// <summary>The real sample's path, or null when it is absent (or <c>TOXIC_SAMPLE_DATA=synthetic</c>).</summary>
    public static string? Path { get; } = Locate();

    /// <summary>The real sample where it is found, else the fixture (written once per process into the temp folder).</summary>
    public static SampleFile File => s_file.Value;

    /// <summary>
    /// A CSV of the first <paramref name="rows"/> records of <see cref="File"/> (written once per process into the temp
    /// folder): what the pipeline tests ingest, so that each of them encodes a few thousand comments rather than all 10,000.
    /// </summary>
    public static async Task<SampleFile> PrefixAsync(int rows)
    {
        await s_prefixLock.WaitAsync();
        try
        {
            if (!s_prefixes.TryGetValue(rows, out var prefix))
            {
                var sample = File;
                var comments = sample.IsReal
                    ? (await CommentCsvReader.ReadFileAsync(sample.Path)).Records.Take(rows).Select(r => new TrainingExample(r.Text, (byte)r.Label)).ToList()
                    : SyntheticSample.Comments.Take(rows).ToList();
                var path = TempFile($"{(sample.IsReal ? "sample" : "synthetic")}-{rows}");
                await System.IO.File.WriteAllTextAsync(path, SyntheticSample.ToCsv(comments));
                prefix = new SampleFile(path, sample.IsReal, comments.Count, comments.Count(c => c.Label == 1));
                s_prefixes.Add(rows, prefix);
            }

            return prefix;
        }
        finally
        {
            s_prefixLock.Release();
        }
    }

    private static SampleFile Open()
    {
        if (Path is not null)
        {
            return new SampleFile(Path, IsReal: true, RealRows, RealToxicRows);
        }

        var comments = SyntheticSample.Comments;
        var path = TempFile("synthetic");
        System.IO.File.WriteAllText(path, SyntheticSample.ToCsv(comments));
        return new SampleFile(path, IsReal: false, comments.Count, comments.Count(c => c.Label == 1));
    }

    /// <summary>A file of this process in the temp folder, deleted when the process exits.</summary>
    private static string TempFile(string name)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"toxic-{name}-{Environment.ProcessId}.csv");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => System.IO.File.Delete(path);
        return path;
    }

    private static string? Locate()
    {
        var configured = Environment.GetEnvironmentVariable("TOXIC_SAMPLE_DATA");
        if (string.Equals(configured, SyntheticSetting, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!string.IsNullOrEmpty(configured))
        {
            var file = Directory.Exists(configured) ? System.IO.Path.Combine(configured, "text_comment_1.csv") : configured;
            return System.IO.File.Exists(file) ? file : throw new InvalidOperationException($"TOXIC_SAMPLE_DATA={configured}, but {file} does not exist");
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, RelativePath);
            if (System.IO.File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>
/// A comments CSV of the sample-data tests and what it holds, known without the code under test: the real sample's
/// published counts, or the generator's.
/// </summary>
/// <param name="Path">The CSV file.</param>
/// <param name="IsReal">Whether it is (a prefix of) the real sample; else the generated fixture.</param>
/// <param name="Rows">Its records.</param>
/// <param name="ToxicRows">Its records labelled 1.</param>
internal sealed record SampleFile(string Path, bool IsReal, int Rows, int ToxicRows)
{
    /// <summary>Names the data in assertion messages.</summary>
    public override string ToString() => $"{(IsReal ? "the real sample" : "the synthetic sample")} {Path}";
}
