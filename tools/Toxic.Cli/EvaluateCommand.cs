using System.CommandLine;
using ToxicFunctions.Tokenization;
using ToxicFunctions.Training;

namespace ToxicFunctions.Cli;

/// <summary><c>toxic evaluate --model DIR --data FILE.csv</c>: AUC, F1, precision, recall and accuracy at the model's threshold.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "model directory (from toxic train)", Required = true };
        var data = new Option<FileInfo>("--data") { Description = "labelled comments CSV (comment_text,labels)", Required = true };
        var command = new Command("evaluate", "Score a labelled CSV with a model and print AUC, F1, precision, recall and accuracy at the model's threshold (0.45).")
        {
            model, data,
        };
        command.SetAction(async (parse, cancellationToken) =>
            await RunAsync(parse.GetValue(model)!.FullName, parse.GetValue(data)!.FullName, Console.Out, Console.Error, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(string modelDirectory, string dataPath, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        var examples = await CsvData.ReadExamplesAsync(dataPath, errors, cancellationToken);
        if (examples is null)
        {
            return 1;
        }

        if (examples.Count == 0)
        {
            await errors.WriteLineAsync($"{dataPath}: no labelled comments.");
            return 1;
        }

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
            var probabilities = scorer.Score(examples.Select(e => e.Text).ToList());
            var m = ClassificationMetrics.Compute(probabilities.Select(p => (double)p).ToList(), examples.Select(e => e.Label).ToList(), scorer.Threshold);
            await output.WriteLineAsync(
                $"comments={m.Count} toxic={m.Positives} threshold={m.Threshold} auc={m.Auc:F4} f1={m.F1:F4} "
                    + $"precision={m.Precision:F4} recall={m.Recall:F4} accuracy={m.Accuracy:F4}");
        }

        return 0;
    }
}
