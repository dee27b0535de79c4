using System.Globalization;
using System.Text.Json;
using ToxicFunctions.Csv;
using ToxicFunctions.Tokenization;
using ToxicFunctions.Training;

namespace ToxicFunctions.Bench;

/// <summary>
/// <c>toxic train</c> (raw CSV -> model directory, wall time of the process) against scikit-learn's vectorize + fit
/// (bench/sklearn_train.py, Debian python3-sklearn) on the same seeded stratified 80/20 split of text_comment_1.csv, in
/// the same run, alternating, median of the rounds; for <c>toxic train</c>'s default model (no encoder view) and for the
/// pipeline's model (<c>--encoder-layers 4 --cascade</c>, whose encoder encodes every comment of the raw CSV, and whose
/// band of fast probabilities routed to the encoder is chosen out of fold on the training part). Quality: hold-out AUC
/// and F1 at 0.45 via <c>toxic evaluate</c>, plus our 5-fold cross-validated AUC on the whole file (encoder features
/// computed once per comment, as the pipeline keeps them). For the pipeline's model <c>toxic evaluate</c> also scores
/// the hold-out comments in-process with the cascade and with the encoder model alone (the same texts, one after the
/// other): the <c>train_encoder</c> line's <c>auc</c>/<c>f1</c> are the encoder model's, <c>cascade_*</c> the served
/// cascade's, with both rates (comments/s) and the share routed.
/// </summary>
public static class TrainBenchmark
{
    private const int DefaultRounds = 3;
    private const int Seed = 42;
    private const double HoldoutFraction = 0.2;
    private const int Folds = 5;
    private static readonly string[] CascadeFlag = ["--cascade"];

    /// <summary>Runs the benchmark: <c>train [--rounds N] [--no-cv]</c>. Returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var rounds = DefaultRounds;
        var crossValidate = true;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--rounds" && i + 1 < args.Length)
            {
                rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else if (args[i] == "--no-cv")
            {
                crossValidate = false;
            }
        }

        var sample = BenchData.SamplePath();
        if (sample is null)
        {
            Console.Error.WriteLine("train: text_comment_1.csv not found (set TOXIC_SAMPLE_DATA)");
            return 2;
        }

        var repo = BenchProcess.Repository;
        var toxic = BenchProcess.Toxic;
        var script = Path.Combine(repo, "bench", "sklearn_train.py");
        var (records, _) = await CommentCsvReader.ReadFileAsync(sample);
        var labels = records.Select(r => (byte)r.Label).ToArray();
        var (train, holdout) = StratifiedSplit.Holdout(labels, HoldoutFraction, Seed, records.Select(r => r.Text).ToArray());

        var work = Directory.CreateTempSubdirectory("toxic-train-bench-");
        try
        {
            var trainCsv = Path.Combine(work.FullName, "train.csv");
            var testCsv = Path.Combine(work.FullName, "test.csv");
            await BenchProcess.WriteCsvAsync(trainCsv, train.Select(i => records[i]));
            await BenchProcess.WriteCsvAsync(testCsv, holdout.Select(i => records[i]));
            Console.WriteLine($"split: {train.Length} training / {holdout.Length} hold-out comments (stratified, seed {Seed}) of {sample}");

            // Two models: toxic train's default (no encoder view) and the pipeline's (with it).
            int[] variants = [0, new FeatureSettings().EncoderLayers];
            var ours = variants.ToDictionary(v => v, _ => new List<double>());
            var theirs = new List<double>();
            JsonElement sklearn = default;
            for (var round = 0; round < rounds; round++)
            {
                var (sklearnOutput, _) = await BenchProcess.RunAsync("/usr/bin/python3", script, trainCsv, testCsv);
                sklearn = JsonDocument.Parse(sklearnOutput).RootElement.Clone();
                theirs.Add(sklearn.GetProperty("seconds").GetDouble());
                foreach (var layers in variants)
                {
                    var (_, seconds) = await BenchProcess.RunAsync(
                        "dotnet", [toxic, "train", "--data", trainCsv, "--out", ModelDirectory(work, layers), "--seed", $"{Seed}", "--encoder-layers", $"{layers}", .. (layers > 0 ? CascadeFlag : [])]);
                    ours[layers].Add(seconds);
                    Console.WriteLine($"round {round + 1}: toxic train --encoder-layers {layers} {seconds:F2} s");
                }

                Console.WriteLine($"round {round + 1}: scikit-learn vectorize + fit {theirs[^1]:F2} s");
            }

            Console.WriteLine(
                $"scikit-learn (hold-out): auc={sklearn.GetProperty("auc").GetDouble():F4} f1={sklearn.GetProperty("f1").GetDouble():F4} "
                    + $"lbfgs iterations={sklearn.GetProperty("iterations").GetInt32()} predict={sklearn.GetProperty("predict_seconds").GetDouble():F2} s");
            var sklearnSeconds = Median(theirs);
            var lines = new List<string>();
            foreach (var layers in variants)
            {
                var (evaluation, _) = await BenchProcess.RunAsync("dotnet", toxic, "evaluate", "--model", ModelDirectory(work, layers), "--data", testCsv);
                Console.WriteLine($"toxic evaluate --encoder-layers {layers} (hold-out): {evaluation.Trim()}");
                var figures = evaluation.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Select(p => p.Split('=')).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
                var cv = crossValidate ? CrossValidate(records, labels, layers) : (Auc: double.NaN, F1: double.NaN);
                var ourSeconds = Median(ours[layers]);
                var cascade = figures.ContainsKey("encoder_auc");
                var line =
                    $"{(layers == variants[0] ? "train" : "train_encoder")} encoder_layers={layers} auc={figures[cascade ? "encoder_auc" : "auc"]} "
                        + $"f1={figures[cascade ? "encoder_f1" : "f1"]} seconds={ourSeconds:F2} "
                        + $"sklearn_auc={sklearn.GetProperty("auc").GetDouble():F4} sklearn_f1={sklearn.GetProperty("f1").GetDouble():F4} "
                        + $"sklearn_seconds={sklearnSeconds:F2} cv_auc={cv.Auc:F4} cv_f1={cv.F1:F4} ratio={sklearnSeconds / ourSeconds:F2}";
                if (cascade)
                {
                    line += $" cascade_auc={figures["auc"]} cascade_f1={figures["f1"]} fast_auc={figures["fast_auc"]} auc_loss={figures["auc_loss"]} "
                        + $"cascade_rate={figures["comments_per_s"]} encoder_rate={figures["encoder_comments_per_s"]} speedup={figures["speedup"]} "
                        + $"routed={figures["routed_share"]} band={figures["band"]}";
                }

                lines.Add(line);
            }

            lines.ForEach(Console.WriteLine);
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string ModelDirectory(DirectoryInfo work, int encoderLayers) => Path.Combine(work.FullName, $"model-{encoderLayers}");

    private static (double Auc, double F1) CrossValidate(List<CommentRecord> records, byte[] labels, int encoderLayers)
    {
        var settings = new FeatureSettings { EncoderLayers = encoderLayers };
        var featurizer = new CommentFeaturizer(settings, WordPieceTokenizer.DistilBertBaseUncased);
        var features = featurizer.FeaturizeAll(records.Select(r => r.Text).ToList());
        if (settings.UsesEncoder)
        {
            // Encoder features depend on the comment alone: computed once, as the pipeline keeps them per comment.
            using var encoder = new CommentEncoder(settings.EncoderLayers, settings.EncoderMaxTokens);
            features = encoder.WithEncodings(features);
        }

        var table = StaticEmbeddingTable.MiniLm;
        var trainer = new ToxicTrainer(featurizer, table);
        var fold = StratifiedSplit.Folds(labels, Folds, Seed, records.Select(r => r.Text).ToArray());
        var aucs = new List<double>();
        var f1s = new List<double>();
        for (var f = 0; f < Folds; f++)
        {
            var train = Enumerable.Range(0, labels.Length).Where(i => fold[i] != f).ToArray();
            var test = Enumerable.Range(0, labels.Length).Where(i => fold[i] == f).ToArray();
            var model = trainer.Train(train.Select(i => features[i]).ToArray(), train.Select(i => labels[i]).ToArray(), new TrainerOptions());
            var probabilities = test.Select(i => model.Probability(features[i], table)).ToList();
            var metrics = ClassificationMetrics.Compute(probabilities, test.Select(i => labels[i]).ToList(), ModelMetadata.DefaultThreshold);
            aucs.Add(metrics.Auc);
            f1s.Add(metrics.F1);
            Console.WriteLine($"cv encoder_layers={encoderLayers} fold {f + 1}/{Folds}: auc={metrics.Auc:F4} f1={metrics.F1:F4}");
        }

        Console.WriteLine($"cv encoder_layers={encoderLayers} {Folds}-fold: auc={aucs.Average():F4} (min {aucs.Min():F4}, max {aucs.Max():F4}) f1={f1s.Average():F4}");
        return (aucs.Average(), f1s.Average());
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
