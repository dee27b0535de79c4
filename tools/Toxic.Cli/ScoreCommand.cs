using System.CommandLine;
using System.Text.Json;
using ToxicFunctions.Tokenization;
using ToxicFunctions.Training;

namespace ToxicFunctions.Cli;

/// <summary><c>toxic score --model DIR</c>: JSON lines <c>{"text": ...}</c> on stdin, <c>{"probability": p, "label": 0|1}</c> per line, in order.</summary>
internal static class ScoreCommand
{
    private const int BatchLines = 512;

    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "model directory (from toxic train), or a HuggingFace sequence-classification ONNX export with its vocab.txt", Required = true };
        var command = new Command("score", "Read JSON lines {\"text\": \"...\"} on stdin; write {\"probability\": p, \"label\": 0|1} per line on stdout, in order.")
        {
            model,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var input = new StreamReader(Console.OpenStandardInput());
            await using var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
            return await RunAsync(parse.GetValue(model)!.FullName, input, output, Console.Error, cancellationToken);
        });
        return command;
    }

    /// <summary>Scores each line; a line that is not <c>{"text": string}</c> gets an <c>{"line": N, "error": ...}</c> line and exit code 1.</summary>
    public static async Task<int> RunAsync(string modelDirectory, TextReader input, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        ToxicScorer scorer;
        try
        {
            scorer = await ToxicScorer.LoadAsync(modelDirectory, WordPieceTokenizer.DistilBertBaseUncased, cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            await errors.WriteLineAsync(e.Message);
            return 1;
        }

        using (scorer)
        {
            var lineNumber = 0;
            var failures = 0;
            var batch = new List<(int Line, string? Text, string? Error)>();
            while (await input.ReadLineAsync(cancellationToken) is { } line)
            {
                lineNumber++;
                if (line.Length == 0)
                {
                    continue;
                }

                var (text, error) = TextLine.Parse(line);
                batch.Add((lineNumber, text, error));
                if (batch.Count == BatchLines)
                {
                    failures += await FlushAsync(scorer, batch, output, errors);
                }
            }

            failures += await FlushAsync(scorer, batch, output, errors);
            await output.FlushAsync(cancellationToken);
            return failures == 0 ? 0 : 1;
        }
    }

    private static async Task<int> FlushAsync(ToxicScorer scorer, List<(int Line, string? Text, string? Error)> batch, TextWriter output, TextWriter errors)
    {
        var texts = batch.Where(b => b.Text is not null).Select(b => b.Text!).ToList();
        var probabilities = scorer.Score(texts);
        var next = 0;
        var failures = 0;
        foreach (var (line, text, error) in batch)
        {
            if (text is not null)
            {
                var p = probabilities[next++];
                await output.WriteLineAsync(JsonSerializer.Serialize(new { probability = p, label = p >= scorer.Threshold ? 1 : 0 }));
            }
            else
            {
                failures++;
                await errors.WriteLineAsync($"line {line}: {error}");
                await output.WriteLineAsync(JsonSerializer.Serialize(new { line, error }));
            }
        }

        batch.Clear();
        return failures;
    }
}
