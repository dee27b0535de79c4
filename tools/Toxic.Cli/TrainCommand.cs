using System.CommandLine;
using System.Diagnostics;
using ToxicFunctions.Tokenization;
using ToxicFunctions.Training;

namespace ToxicFunctions.Cli;

/// <summary>
/// <c>toxic train --data FILE.csv --out DIR [--seed N] [--holdout F] [--encoder-layers L] [--cascade]</c>: a model
/// directory from a comments CSV.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<FileInfo>("--data") { Description = "comments CSV (comment_text,labels)", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "model directory to write", Required = true };
        var seed = new Option<int>("--seed") { Description = "seed of the hold-out split", DefaultValueFactory = _ => 42 };
        var holdout = new Option<double>("--holdout") { Description = "share of each class held out for validation metrics (default 0: fit on all rows)" };
        // From a raw CSV the encoder view costs ~10x the rest of training (every comment is encoded), so the CLI's default
        // is the model without it, which trains faster than scikit-learn's TF-IDF + LR; the pipeline, which keeps each
        // comment's encoder features, trains the model with it (FeatureSettings' default).
        var encoderLayers = new Option<int>("--encoder-layers")
        {
            Description = $"transformer layers of the frozen encoder view (default 0: the fast model; {new FeatureSettings().EncoderLayers}: the pipeline's model, slower from a raw CSV)",
            DefaultValueFactory = _ => 0,
        };
        var cascade = new Option<bool>("--cascade")
        {
            Description = "with an encoder view: also write the fast model (fast.onnx) and the band of its probabilities routed to the encoder model, as the pipeline serves it",
        };
        var noProgress = ProgressOption.Create();
        var command = new Command("train", "Train the toxic-comment model on a CSV and write a model directory (model.onnx, metadata.json, roc.png, pr.png).")
        {
            data, output, seed, holdout, encoderLayers, cascade, noProgress,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = new TrainingRequest
            {
                Seed = parse.GetValue(seed),
                HoldoutFraction = parse.GetValue(holdout),
                Features = new FeatureSettings { EncoderLayers = parse.GetValue(encoderLayers) },
                Cascade = parse.GetValue(cascade) ? new CascadeOptions() : null,
            };
            var progress = ProgressLine.ForStandardError("featurize", ProgressUnit.Count("comments"), null, parse.GetValue(noProgress));
            return await RunAsync(parse.GetValue(data)!.FullName, parse.GetValue(output)!.FullName, request, Console.Out, Console.Error, cancellationToken, progress);
        });
        return command;
    }

    public static async Task<int> RunAsync(
        string dataPath, string outputDirectory, TrainingRequest request, TextWriter output, TextWriter errors, CancellationToken cancellationToken, ProgressLine? progress = null)
    {
        if (request.HoldoutFraction is < 0 or >= 1)
        {
            await errors.WriteLineAsync("--holdout must be at least 0 and below 1.");
            return 2;
        }

        if (request.Features.EncoderLayers is < 0 or > EncoderGraph.MaxLayers)
        {
            await errors.WriteLineAsync($"--encoder-layers must be between 0 and {EncoderGraph.MaxLayers}.");
            return 2;
        }

        if (request.Cascade is not null && !request.Features.UsesEncoder)
        {
            await errors.WriteLineAsync("--cascade needs an encoder view (--encoder-layers 1 or more).");
            return 2;
        }

        var stopwatch = Stopwatch.StartNew();
        var examples = await CsvData.ReadExamplesAsync(dataPath, errors, cancellationToken);
        if (examples is null)
        {
            return 1;
        }

        ModelMetadata metadata;
        try
        {
            metadata = await new ModelTrainingService(WordPieceTokenizer.DistilBertBaseUncased)
                .TrainAsync(examples, request, outputDirectory, progress is null ? null : new TrainingStages(progress), cancellationToken);
        }
        catch (ArgumentException e)
        {
            await errors.WriteLineAsync($"{dataPath}: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await errors.WriteLineAsync($"{outputDirectory}: {e.Message}");
            return 1;
        }
        finally
        {
            progress?.Complete();
        }

        await output.WriteLineAsync(
            $"trained on {metadata.TrainingRows} comments ({metadata.TrainingPositives} toxic) in {stopwatch.Elapsed.TotalSeconds:F1} s -> {outputDirectory}");
        foreach (var (name, m) in metadata.Metrics)
        {
            await output.WriteLineAsync(
                $"{name}: auc={m.Auc:F4} f1={m.F1:F4} precision={m.Precision:F4} recall={m.Recall:F4} accuracy={m.Accuracy:F4} (threshold {m.Threshold}, {m.Count} comments)");
        }

        if (metadata.Cascade is { } band)
        {
            await output.WriteLineAsync(
                $"cascade: fast probabilities in [{band.Low:G6}, {band.High:G6}] go to the encoder model ({band.RoutedFraction:P1} of the training comments out of fold); "
                    + $"out-of-fold auc fast={band.FastAuc:F4} encoder={band.EncoderAuc:F4} cascade={band.CascadeAuc:F4} (budget {band.AucBudget})");
        }

        return 0;
    }

    /// <summary>Training's stages on one line: each stage (featurize, encode, fit) starts afresh with its own unit and total.</summary>
    private sealed class TrainingStages(ProgressLine line) : IProgress<TrainingProgress>
    {
        private readonly Lock _lock = new();
        private TrainingStage? _stage;

        public void Report(TrainingProgress value)
        {
            lock (_lock)
            {
                if (_stage != value.Stage)
                {
                    _stage = value.Stage;
                    line.Stage(value.Stage.ToString().ToLowerInvariant(), ProgressUnit.Count(value.Stage == TrainingStage.Fit ? "fits" : "comments"), value.Total);
                }
            }

            line.Report(value.Done);
        }
    }
}
