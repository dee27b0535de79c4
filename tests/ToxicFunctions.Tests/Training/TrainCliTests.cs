using System.Text.Json;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Training;

/// <summary><c>toxic train</c>, <c>score</c> and <c>evaluate</c> as a user runs them, on a generated CSV.</summary>
public sealed class TrainCliTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("toxic-cli-train-");

    public void Dispose() => _work.Delete(recursive: true);

    private static Task<(int ExitCode, string Output, string Errors)> RunAsync(string input, params string[] arguments) =>
        ToxicCli.RunAsync(arguments, input);

    [Theory]
    [InlineData(null)] // the default: the fast model
    [InlineData(4)] // the model with the encoder view
    [InlineData(4, true)] // the pipeline's model: the cascade of the fast and the encoder model
    public async Task Train_then_score_then_evaluate_round_trip(int? encoderLayers, bool cascade = false)
    {
        var examples = SyntheticComments.Generate(700, seed: 4);
        var trainCsv = Path.Combine(_work.FullName, "train.csv");
        var testCsv = Path.Combine(_work.FullName, "test.csv");
        await File.WriteAllTextAsync(trainCsv, SyntheticSample.ToCsv(examples.Take(500)));
        await File.WriteAllTextAsync(testCsv, SyntheticSample.ToCsv(examples.Skip(500)));
        var model = Path.Combine(_work.FullName, "model");

        string[] layers = encoderLayers is { } l ? ["--encoder-layers", $"{l}"] : [];
        var train = await RunAsync("", ["train", "--data", trainCsv, "--out", model, "--seed", "3", .. layers, .. (cascade ? new[] { "--cascade" } : [])]);
        Assert.True(train.ExitCode == 0, train.Errors);
        using (var metadata = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(model, "metadata.json"))))
        {
            Assert.Equal(encoderLayers ?? 0, metadata.RootElement.GetProperty("features").GetProperty("encoderLayers").GetInt32());
        }

        Assert.Contains("trained on 500 comments", train.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(model, "model.onnx")));
        Assert.Equal(cascade, File.Exists(Path.Combine(model, "fast.onnx")));
        Assert.Equal(cascade, train.Output.Contains("cascade: fast probabilities in", StringComparison.Ordinal));

        var texts = examples.Skip(500).Take(20).Select(e => e.Text).ToArray();
        var score = await RunAsync(string.Concat(texts.Select(t => JsonSerializer.Serialize(new { text = t }) + "\n")), "score", "--model", model);
        Assert.True(score.ExitCode == 0, score.Errors);
        var lines = score.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(texts.Length, lines.Length);
        var probabilities = new List<double>();
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            var p = json.RootElement.GetProperty("probability").GetDouble();
            Assert.InRange(p, 0, 1);
            Assert.Equal(p >= 0.45 ? 1 : 0, json.RootElement.GetProperty("label").GetInt32());
            probabilities.Add(p);
        }

        // In order: scoring the texts one by one gives the same probabilities.
        var single = await RunAsync(JsonSerializer.Serialize(new { text = texts[7] }) + "\n", "score", "--model", model);
        Assert.Equal(probabilities[7], JsonDocument.Parse(single.Output).RootElement.GetProperty("probability").GetDouble(), 6);

        var evaluate = await RunAsync("", "evaluate", "--model", model, "--data", testCsv);
        Assert.True(evaluate.ExitCode == 0, evaluate.Errors);
        var figures = evaluate.Output.Trim().Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal("200", figures["comments"]);
        foreach (var key in new[] { "auc", "f1", "precision", "recall", "accuracy" }.Concat(cascade ? ["encoder_auc", "encoder_f1", "fast_auc"] : []))
        {
            Assert.InRange(double.Parse(figures[key], System.Globalization.CultureInfo.InvariantCulture), 0.5, 1.0);
        }

        // The in-process rate; for the cascade also the encoder model's alone, the share routed and the speed-up.
        Assert.True(double.Parse(figures["comments_per_s"], System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal(cascade, figures.ContainsKey("speedup"));
        if (cascade)
        {
            Assert.InRange(double.Parse(figures["routed_share"], System.Globalization.CultureInfo.InvariantCulture), 0, 1);
            Assert.True(double.Parse(figures["encoder_comments_per_s"], System.Globalization.CultureInfo.InvariantCulture) > 0);
        }
    }

    [Fact]
    public async Task Score_puts_an_error_line_in_place_of_a_bad_line_and_exits_1()
    {
        var examples = SyntheticComments.Generate(300, seed: 8);
        var csv = Path.Combine(_work.FullName, "data.csv");
        await File.WriteAllTextAsync(csv, SyntheticSample.ToCsv(examples));
        var model = Path.Combine(_work.FullName, "model");
        Assert.Equal(0, (await RunAsync("", "train", "--data", csv, "--out", model)).ExitCode);

        // Line 5 is valid JSON whose string escapes a lone surrogate: no text, so an error line too.
        var (exitCode, output, errors) = await RunAsync(
            "{\"text\": \"fine\"}\nnot json\n{\"txt\": 1}\n{\"text\": \"also fine\"}\n{\"text\": \"\\ud800\"}\n{\"text\": \"last\"}\n", "score", "--model", model);

        Assert.Equal(1, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, lines.Length);
        Assert.True(JsonDocument.Parse(lines[0]).RootElement.TryGetProperty("probability", out _));
        Assert.Equal(2, JsonDocument.Parse(lines[1]).RootElement.GetProperty("line").GetInt32());
        Assert.Equal(3, JsonDocument.Parse(lines[2]).RootElement.GetProperty("line").GetInt32());
        Assert.True(JsonDocument.Parse(lines[3]).RootElement.TryGetProperty("probability", out _));
        Assert.Equal(5, JsonDocument.Parse(lines[4]).RootElement.GetProperty("line").GetInt32());
        Assert.True(JsonDocument.Parse(lines[5]).RootElement.TryGetProperty("probability", out _));
        Assert.Contains("line 2:", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_inputs_get_clear_errors()
    {
        var missing = await RunAsync("", "train", "--data", Path.Combine(_work.FullName, "none.csv"), "--out", Path.Combine(_work.FullName, "m"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no such file", missing.Errors, StringComparison.Ordinal);

        var headerless = Path.Combine(_work.FullName, "bad.csv");
        await File.WriteAllTextAsync(headerless, "text,label\nhello,0\n");
        var badHeader = await RunAsync("", "train", "--data", headerless, "--out", Path.Combine(_work.FullName, "m"));
        Assert.Equal(1, badHeader.ExitCode);
        Assert.Contains("comment_text", badHeader.Errors, StringComparison.Ordinal);

        // A model whose graph is not the one its metadata describes (a retrain interrupted after writing model.onnx).
        var examples = SyntheticComments.Generate(200, seed: 2);
        var csv = Path.Combine(_work.FullName, "small.csv");
        await File.WriteAllTextAsync(csv, SyntheticSample.ToCsv(examples));
        var model = Path.Combine(_work.FullName, "mixed");
        Assert.Equal(0, (await RunAsync("", "train", "--data", csv, "--out", model)).ExitCode);
        var onnx = Path.Combine(model, "model.onnx");
        var bytes = await File.ReadAllBytesAsync(onnx);
        await File.WriteAllBytesAsync(onnx, bytes[..^1]);
        var mixed = await RunAsync("{\"text\": \"x\"}\n", "score", "--model", model);
        Assert.Equal(1, mixed.ExitCode);
        Assert.Contains("SHA-256", mixed.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", mixed.Errors, StringComparison.Ordinal);

        var noModel = await RunAsync("{\"text\": \"x\"}\n", "score", "--model", _work.FullName);
        Assert.Equal(1, noModel.ExitCode);
        Assert.Contains("metadata.json", noModel.Errors, StringComparison.Ordinal);
    }
}
