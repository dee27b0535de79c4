using System.CommandLine;
using System.Text.Json;
using ToxicFunctions.Tokenization;

namespace ToxicFunctions.Cli;

/// <summary><c>toxic tokenize</c>: JSON lines <c>{"text": "..."}</c> on stdin, <c>{"input_ids": [...]}</c> lines on stdout, in order.</summary>
internal static class TokenizeCommand
{
    public static Command Create()
    {
        var command = new Command("tokenize", "Read JSON lines {\"text\": \"...\"} on stdin; write {\"input_ids\": [...]} per line on stdout, in order.");
        command.SetAction(async (_, cancellationToken) =>
        {
            using var input = new StreamReader(Console.OpenStandardInput());
            await using var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
            return await RunAsync(input, output, Console.Error, cancellationToken);
        });
        return command;
    }

    /// <summary>Tokenizes each line; a line that is not <c>{"text": string}</c> gets an <c>{"error": ...}</c> line and exit code 1.</summary>
    public static async Task<int> RunAsync(TextReader input, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        var tokenizer = WordPieceTokenizer.DistilBertBaseUncased;
        var lineNumber = 0;
        var failures = 0;
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var (text, error) = TextLine.Parse(line);
            if (text is not null)
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(new { input_ids = tokenizer.Encode(text) }));
            }
            else
            {
                failures++;
                await errors.WriteLineAsync($"line {lineNumber}: {error}");
                await output.WriteLineAsync(JsonSerializer.Serialize(new { line = lineNumber, error }));
            }
        }

        await output.FlushAsync(cancellationToken);
        return failures == 0 ? 0 : 1;
    }
}
