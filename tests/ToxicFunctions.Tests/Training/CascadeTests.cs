using System.Text.Json;
using System.Text.Json.Nodes;
using ToxicFunctions.Tokenization;
using ToxicFunctions.Training;

namespace ToxicFunctions.Tests.Training;

/// <summary>
/// The cascade (<see cref="CascadeBand"/>, <see cref="CascadeScorer"/>): the artifact round-trips, the scorer sends
/// exactly the comments inside the band to the encoder model and keeps the fast model's probability for the others, the
/// chosen band meets its AUC budget on the data it was chosen on, and single-graph artifacts still load.
/// </summary>
public sealed class CascadeTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("toxic-cascade-");

    public void Dispose() => _work.Delete(recursive: true);

    private static ModelTrainingService Service => new(WordPieceTokenizer.DistilBertBaseUncased);

    [Fact]
    public async Task Cascade_artifact_round_trips_and_routes_exactly_the_comments_inside_its_band()
    {
        var examples = SyntheticComments.Generate(500, seed: 21);
        var directory = Path.Combine(_work.FullName, "cascade");
        var written = await Service.TrainAsync(
            examples, new TrainingRequest { Seed = 3, HoldoutFraction = 0.25, Cascade = new CascadeOptions { Folds = 3 } }, directory);

        // Both graphs and the band in the metadata, which reads back as written.
        var band = Assert.IsType<CascadeBand>(written.Cascade);
        Assert.True(File.Exists(Path.Combine(directory, ModelArtifact.ModelFile)));
        Assert.True(File.Exists(Path.Combine(directory, ModelArtifact.FastModelFile)));
        Assert.Equal(
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(directory, ModelArtifact.FastModelFile)))),
            band.FastModelSha256);
        Assert.Equal(3, band.Folds);
        Assert.True(band.QuantizedEncoder);
        Assert.Equal(new CascadeOptions().AucBudget, band.AucBudget);
        Assert.True(band.EncoderAuc - band.CascadeAuc <= band.AucBudget);
        Assert.Equal(band, (await ModelArtifact.ReadMetadataAsync(directory)).Cascade);
        Assert.Equal([ModelArtifact.MetadataFile, ModelArtifact.ModelFile, ModelArtifact.FastModelFile], ModelArtifact.ScoringFiles(written));
        Assert.Equal(ModelArtifact.ScoringFiles(written), await ModelArtifact.ScoringFilesAsync(directory));
        Assert.Contains("holdout-encoder", written.Metrics.Keys);
        Assert.Contains("holdout-fast", written.Metrics.Keys);

        // A band through the middle of the fast probabilities, so that comments fall on both sides of it.
        var texts = examples.Select(e => e.Text).Concat(["", "x", new string('a', 3000), string.Join(' ', Enumerable.Repeat("stupid idiot", 300))]).ToArray();
        float[] fast;
        using (var scorer = await ToxicScorer.LoadAsync(directory, WordPieceTokenizer.DistilBertBaseUncased))
        {
            fast = scorer.ScoreCascade(texts).Fast;
        }

        // First with the float encoder graph: routed comments get exactly the encoder model's probability.
        var ordered = fast.Order().ToArray();
        await RewriteBandAsync(directory, ordered[ordered.Length / 4], ordered[ordered.Length * 3 / 4], quantized: false);
        using var cascade = await ToxicScorer.LoadAsync(directory, WordPieceTokenizer.DistilBertBaseUncased);
        var strategy = Assert.IsType<CascadeScorer>(cascade.Cascade);
        var scores = cascade.ScoreCascade(texts);
        var encoderAlone = cascade.ScoreWithoutCascade(texts);
        Assert.Equal(fast, scores.Fast);
        var routed = 0;
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(strategy.Band.Routes(scores.Fast[i]), scores.Routed[i]);
            if (scores.Routed[i])
            {
                routed++;

                // The encoder model's graph, run on this comment alone: its batched run differs in the last bits only.
                Assert.Equal(encoderAlone[i], scores.Probabilities[i], 4e-5f);
            }
            else
            {
                Assert.Equal(scores.Fast[i], scores.Probabilities[i]);
            }
        }

        Assert.InRange(routed, texts.Length / 3, texts.Length * 2 / 3);
        Assert.Equal(texts.Length, strategy.Scored);
        Assert.Equal(routed, strategy.Routed);

        // Score and ScoreTexts serve the cascade.
        Assert.Equal(scores.Probabilities, cascade.Score(texts));
        Assert.Equal(scores.Probabilities, cascade.ScoreTexts(texts).Select(s => s.Probability).ToArray());

        // The int8 encoder pass (the default): the same routing and settled probabilities, routed ones close to the float graph's.
        await RewriteBandAsync(directory, ordered[ordered.Length / 4], ordered[ordered.Length * 3 / 4], quantized: true);
        using var quantized = await ToxicScorer.LoadAsync(directory, WordPieceTokenizer.DistilBertBaseUncased);
        var cheap = quantized.ScoreCascade(texts);
        Assert.Equal(scores.Routed, cheap.Routed);
        Assert.Equal(scores.Fast, cheap.Fast);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(scores.Probabilities[i], cheap.Probabilities[i], scores.Routed[i] ? 0.1f : 0f);
        }
    }

    [Fact]
    public async Task A_cascade_whose_fast_model_is_missing_or_altered_is_refused()
    {
        var examples = SyntheticComments.Generate(300, seed: 5);
        var directory = Path.Combine(_work.FullName, "cascade");
        await Service.TrainAsync(examples, new TrainingRequest { Cascade = new CascadeOptions { Folds = 2 } }, directory);
        var fast = Path.Combine(directory, ModelArtifact.FastModelFile);
        var bytes = await File.ReadAllBytesAsync(fast);

        bytes[^1] ^= 1;
        await File.WriteAllBytesAsync(fast, bytes);
        await Assert.ThrowsAsync<InvalidDataException>(() => ToxicScorer.LoadAsync(directory, WordPieceTokenizer.DistilBertBaseUncased));

        File.Delete(fast);
        await Assert.ThrowsAsync<InvalidDataException>(() => ToxicScorer.LoadAsync(directory, WordPieceTokenizer.DistilBertBaseUncased));
    }

    [Theory]
    [InlineData(1)] // featurizer version 1: no encoder view
    [InlineData(2)]
    public async Task Single_graph_artifacts_still_load_and_score_with_their_one_graph(int featureVersion)
    {
        var examples = SyntheticComments.Generate(300, seed: 9);
        var directory = Path.Combine(_work.FullName, "single");
        var request = new TrainingRequest { Features = new FeatureSettings { Version = featureVersion } };
        await Service.TrainAsync(examples, request, directory);

        // Metadata as before cascades: no cascade section, no fast model.
        var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(directory, ModelArtifact.MetadataFile)))!.AsObject();
        Assert.False(json.ContainsKey("cascade"));
        Assert.Equal(ModelMetadata.CurrentFormat, json["format"]!.GetValue<string>());
        Assert.False(File.Exists(Path.Combine(directory, ModelArtifact.FastModelFile)));
        Assert.Equal([ModelArtifact.MetadataFile, ModelArtifact.ModelFile], await ModelArtifact.ScoringFilesAsync(directory));

        using var scorer = await ToxicScorer.LoadAsync(directory, WordPieceTokenizer.DistilBertBaseUncased);
        Assert.Null(scorer.Cascade);
        var texts = examples.Take(50).Select(e => e.Text).ToArray();
        Assert.Equal(scorer.ScoreWithoutCascade(texts), scorer.Score(texts));
        Assert.Throws<InvalidOperationException>(() => scorer.ScoreCascade(texts));
    }

    [Fact]
    public async Task Cascade_option_without_an_encoder_view_trains_a_single_graph()
    {
        var examples = SyntheticComments.Generate(300, seed: 10);
        var directory = Path.Combine(_work.FullName, "fast");
        var metadata = await Service.TrainAsync(
            examples, new TrainingRequest { Features = new FeatureSettings { EncoderLayers = 0 }, Cascade = new CascadeOptions() }, directory);
        Assert.Null(metadata.Cascade);
        Assert.False(File.Exists(Path.Combine(directory, ModelArtifact.FastModelFile)));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.0005)]
    [InlineData(0.002)]
    [InlineData(1.0)]
    public void The_chosen_band_meets_its_budget_on_the_data_it_was_chosen_on(double budget)
    {
        const int n = 3000;
        var (fast, encoder, labels) = Synthetic(n, seed: 7);
        var band = CascadeBand.Choose(fast, encoder, labels, budget);
        var combined = band.Combine(fast, encoder);
        var encoderAuc = ClassificationMetrics.RocAuc(encoder, labels);
        var cascadeAuc = ClassificationMetrics.RocAuc(combined, labels);
        Assert.True(encoderAuc - cascadeAuc <= budget + 1e-12, $"lost {encoderAuc - cascadeAuc} with budget {budget}");
        Assert.Equal(cascadeAuc, band.CascadeAuc, 12);
        Assert.Equal(encoderAuc, band.EncoderAuc, 12);
        Assert.Equal(ClassificationMetrics.RocAuc(fast, labels), band.FastAuc, 12);
        Assert.Equal(fast.Count(band.Routes) / (double)n, band.RoutedFraction, 12);
        Assert.Equal(budget, band.AucBudget);

        // Settled comments keep the fast probability, routed ones get the encoder's.
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(band.Routes(fast[i]) ? encoder[i] : fast[i], combined[i]);
        }

        // A budget the fast model meets alone routes nothing; a tighter one routes some but not all.
        if (budget >= encoderAuc - band.FastAuc)
        {
            Assert.Equal(0, band.RoutedFraction);
        }
        else
        {
            Assert.InRange(band.RoutedFraction, 0.01, 1.0);
        }
    }

    [Fact]
    public void The_chosen_band_is_the_narrowest_on_its_grid_that_meets_the_budget()
    {
        var (fast, encoder, labels) = Synthetic(2000, seed: 8);
        const int steps = 40;
        const double budget = 0.0005;
        var band = CascadeBand.Choose(fast, encoder, labels, budget, steps);
        var chosen = fast.Count(band.Routes);
        Assert.InRange(chosen, 1, fast.Length - 1);

        // Every band on the same grid that routes fewer comments loses more than the budget.
        var sorted = fast.Order().ToArray();
        var encoderAuc = ClassificationMetrics.RocAuc(encoder, labels);
        double Edge(int k) => k == 0 ? double.NegativeInfinity : k == steps ? double.PositiveInfinity : sorted[k * fast.Length / steps];
        var combined = new double[fast.Length];
        for (var a = 0; a < steps; a++)
        {
            for (var b = a + 1; b <= steps; b++)
            {
                var routed = 0;
                for (var i = 0; i < fast.Length; i++)
                {
                    var route = fast[i] >= Edge(a) && fast[i] < Edge(b);
                    routed += route ? 1 : 0;
                    combined[i] = route ? encoder[i] : fast[i];
                }

                if (routed < chosen)
                {
                    Assert.True(encoderAuc - ClassificationMetrics.RocAuc(combined, labels) > budget, $"[{a}, {b}) routes {routed} < {chosen} within the budget");
                }
            }
        }
    }

    // An encoder model that ranks better than the fast one: both noisy readings of the label, the encoder less noisy.
    private static (double[] Fast, double[] Encoder, byte[] Labels) Synthetic(int n, int seed)
    {
        var random = new Random(seed);
        var labels = new byte[n];
        var fast = new double[n];
        var encoder = new double[n];
        for (var i = 0; i < n; i++)
        {
            labels[i] = (byte)(random.NextDouble() < 0.1 ? 1 : 0);
            var signal = labels[i] == 1 ? 2.5 : 0.0;
            fast[i] = Sigmoid(signal - 3 + (1.4 * Gaussian(random)));
            encoder[i] = Sigmoid(signal - 3 + (0.9 * Gaussian(random)));
        }

        return (fast, encoder, labels);
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static async Task RewriteBandAsync(string directory, double low, double high, bool quantized)
    {
        var path = Path.Combine(directory, ModelArtifact.MetadataFile);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        json["cascade"]!["low"] = low;
        json["cascade"]!["high"] = high;
        json["cascade"]!["quantizedEncoder"] = quantized;
        await File.WriteAllTextAsync(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
