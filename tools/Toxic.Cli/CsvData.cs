using ToxicFunctions.Csv;
using ToxicFunctions.Training;

namespace ToxicFunctions.Cli;

/// <summary>Labelled comments of a CSV file for <c>train</c> and <c>evaluate</c>; rejected records are reported, not fatal.</summary>
internal static class CsvData
{
    /// <summary>The file's good records, or null (after a message) when the file cannot be read.</summary>
    public static async Task<List<TrainingExample>?> ReadExamplesAsync(string path, TextWriter errors, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            await errors.WriteLineAsync($"{path}: no such file.");
            return null;
        }

        List<CommentRecord> records;
        List<RejectedRecord> rejected;
        try
        {
            (records, rejected) = await CommentCsvReader.ReadFileAsync(path, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            await errors.WriteLineAsync($"{path}: {e.Message}");
            return null;
        }

        foreach (var reject in rejected.Take(10))
        {
            await errors.WriteLineAsync($"{path}:{reject.LineNumber}: skipped: {reject.Reason}");
        }

        if (rejected.Count > 10)
        {
            await errors.WriteLineAsync($"{path}: {rejected.Count} records skipped in all.");
        }

        return records.Select(r => new TrainingExample(r.Text, (byte)r.Label)).ToList();
    }
}
