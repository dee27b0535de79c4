using System.Text;

namespace ToxicFunctions.Bench;

/// <summary>Benchmark inputs: the project's real sample comments, or generated ones where the file is absent.</summary>
internal static class BenchData
{
    private const string RelativePath = "shared/data/text_comment_1.csv";

    /// <summary>text_comment_1.csv beside the repository (or TOXIC_SAMPLE_DATA), or null.</summary>
    public static string? SamplePath()
    {
        var configured = Environment.GetEnvironmentVariable("TOXIC_SAMPLE_DATA");
        if (!string.IsNullOrEmpty(configured) && File.Exists(configured))
        {
            return configured;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, RelativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// Writes a CSV of at least <paramref name="minBytes"/> bytes and <paramref name="minRows"/> rows: the sample file's
    /// records repeated (header once), or generated records when the sample is absent. Returns the row count.
    /// </summary>
    public static long WriteRepeatedCsv(string path, long minRows, long minBytes)
    {
        var sample = SamplePath();
        string header;
        string body;
        long rowsPerCopy;
        if (sample is not null)
        {
            var text = File.ReadAllText(sample, Encoding.UTF8);
            var firstLineEnd = text.IndexOf('\n', StringComparison.Ordinal);
            header = text[..(firstLineEnd + 1)];
            body = text[(firstLineEnd + 1)..];
            if (!body.EndsWith('\n'))
            {
                body += "\n";
            }

            rowsPerCopy = 10_000;
        }
        else
        {
            header = "comment_text,labels\n";
            var builder = new StringBuilder();
            var random = new Random(42);
            for (var i = 0; i < 10_000; i++)
            {
                builder.Append('"').Append("comment ").Append(i).Append(" about the article, which ")
                    .Append(random.Next(2) == 0 ? "needs a reference" : "is \"\"fine\"\" as it is").Append('"')
                    .Append(',').Append(random.Next(10) == 0 ? 1 : 0).Append('\n');
            }

            body = builder.ToString();
            rowsPerCopy = 10_000;
        }

        var bodyBytes = Encoding.UTF8.GetBytes(body);
        using var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        output.Write(Encoding.UTF8.GetBytes(header));
        long rows = 0;
        while (rows < minRows || output.Length < minBytes)
        {
            output.Write(bodyBytes);
            rows += rowsPerCopy;
        }

        return rows;
    }
}
