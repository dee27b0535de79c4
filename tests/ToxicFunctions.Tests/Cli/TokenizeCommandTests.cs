using System.Text.Json;
using ToxicFunctions.Tests.Infrastructure;
using ToxicFunctions.Tokenization;

namespace ToxicFunctions.Tests.Cli;

/// <summary><c>toxic tokenize</c> as a user runs it: a process reading JSON lines on stdin.</summary>
public sealed class TokenizeCommandTests
{
    private static async Task<(int ExitCode, string[] Lines, string Errors)> RunAsync(string input)
    {
        var (exitCode, output, errors) = await ToxicCli.RunAsync(["tokenize"], input);
        return (exitCode, output.Split('\n', StringSplitOptions.RemoveEmptyEntries), errors);
    }

    [Fact]
    public async Task Writes_one_line_of_input_ids_per_input_line_in_order()
    {
        string[] texts = ["Hello, World!", "explanation\nwhy the edits", "", "Café naïve £5 = |x|", new string('a', 3000)];
        var input = string.Concat(texts.Select(t => JsonSerializer.Serialize(new { text = t }) + "\n"));

        var (exitCode, lines, _) = await RunAsync(input);

        Assert.Equal(0, exitCode);
        Assert.Equal(texts.Length, lines.Length);
        for (var i = 0; i < texts.Length; i++)
        {
            using var json = JsonDocument.Parse(lines[i]);
            var ids = json.RootElement.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            Assert.Equal(WordPieceTokenizer.DistilBertBaseUncased.Encode(texts[i]), ids);
        }
    }

    [Fact]
    public async Task A_bad_line_gets_an_error_line_in_its_place_and_exit_code_1()
    {
        var (exitCode, lines, errors) = await RunAsync("{\"text\": \"fine\"}\nnot json\n{\"txt\": 1}\n{\"text\": \"also fine\"}\n{\"text\": \"\\ud800\"}\n");

        Assert.Equal(1, exitCode);
        Assert.Equal(5, lines.Length);
        Assert.Equal(5, JsonDocument.Parse(lines[4]).RootElement.GetProperty("line").GetInt32());
        Assert.True(JsonDocument.Parse(lines[0]).RootElement.TryGetProperty("input_ids", out _));
        Assert.Equal(2, JsonDocument.Parse(lines[1]).RootElement.GetProperty("line").GetInt32());
        Assert.Contains("invalid JSON", JsonDocument.Parse(lines[1]).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, JsonDocument.Parse(lines[2]).RootElement.GetProperty("line").GetInt32());
        Assert.True(JsonDocument.Parse(lines[3]).RootElement.TryGetProperty("input_ids", out _));
        Assert.Contains("line 2:", errors, StringComparison.Ordinal);
    }
}
