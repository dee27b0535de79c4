using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ToxicFunctions.Tokenization;
using ToxicFunctions.Training;

namespace ToxicFunctions.Cli;

/// <summary>
/// <c>toxic evaluate --model DIR --data FILE.csv</c>: AUC, F1, precision, recall and accuracy at the model's threshold,
/// and the in-process scoring rate (comments/s, featurizing included). For a cascade directory the figures are the
/// cascade's (what is served), followed on the same line by the encoder model's alone (<c>encoder_*</c>, every comment
/// through the encoder graph), the fast model's AUC, the share routed and the speed-up.
/// </summary>
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
            var texts = examples.Select(e => e.Text).ToList();
            var labels = examples.Select(e => e.Label).ToList();
            scorer.Score(texts.Take(16).ToList()); // ONNX Runtime's first run allocates: not part of the rate
            var stopwatch = Stopwatch.StartNew();
            var probabilities = scorer.Score(texts);
            var rate = texts.Count / stopwatch.Elapsed.TotalSeconds;
            var m = ClassificationMetrics.Compute(probabilities.Select(p => (double)p).ToList(), labels, scorer.Threshold);
            var line = new StringBuilder(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"comments={m.Count} toxic={m.Positives} threshold={m.Threshold} auc={m.Auc:F4} f1={m.F1:F4} "
                        + $"precision={m.Precision:F4} recall={m.Recall:F4} accuracy={m.Accuracy:F4} comments_per_s={rate:F1}"));
            if (scorer.Cascade is { } cascade)
            {
                var routed = scorer.ScoreCascade(texts);
                var fastAuc = ClassificationMetrics.RocAuc(routed.Fast.Select(p => (double)p).ToList(), labels);
                scorer.ScoreWithoutCascade(texts.Take(16).ToList());
                stopwatch.Restart();
                var alone = scorer.ScoreWithoutCascade(texts);
                var encoderRate = texts.Count / stopwatch.Elapsed.TotalSeconds;
                var e = ClassificationMetrics.Compute(alone.Select(p => (double)p).ToList(), labels, scorer.Threshold);
                line.Append(CultureInfo.InvariantCulture, $" model=cascade routed={routed.Routed.Count(r => r):D} routed_share={routed.Routed.Count(r => r) / (double)texts.Count:F4}")
                    .Append(CultureInfo.InvariantCulture, $" band={cascade.Band.Low:G6}..{cascade.Band.High:G6} fast_auc={fastAuc:F4}")
                    .Append(CultureInfo.InvariantCulture, $" encoder_auc={e.Auc:F4} encoder_f1={e.F1:F4} encoder_precision={e.Precision:F4} encoder_recall={e.Recall:F4}")
                    .Append(CultureInfo.InvariantCulture, $" encoder_accuracy={e.Accuracy:F4} encoder_comments_per_s={encoderRate:F1} auc_loss={e.Auc - m.Auc:F5} speedup={rate / encoderRate:F2}");
            }

            await output.WriteLineAsync(line.ToString());
        }

        return 0;
    }
}
