using System.Buffers.Binary;
using System.Text.Json;
using ToxicFunctions.Tokenization;
using ToxicFunctions.Training;

namespace ToxicFunctions.Tests.Training;

/// <summary>Training into a model directory: determinism, ONNX Runtime against the in-memory model, metadata and curves.</summary>
public sealed class ModelArtifactTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("toxic-artifact-");

    public void Dispose() => _work.Delete(recursive: true);

    private static ModelTrainingService Service => new(WordPieceTokenizer.DistilBertBaseUncased);

    [Fact]
    public async Task Same_data_and_seed_give_a_byte_identical_artifact()
    {
        var examples = SyntheticComments.Generate(800, seed: 3);
        var request = new TrainingRequest { Seed = 5, HoldoutFraction = 0.25 };
        var first = Path.Combine(_work.FullName, "a");
        var second = Path.Combine(_work.FullName, "b");

        await Service.TrainAsync(examples, request, first);
        await Service.TrainAsync(examples, request, second);

        var files = Directory.GetFiles(first).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal([ModelArtifact.MetadataFile, ModelArtifact.ModelFile, ModelArtifact.PrecisionRecallFile, ModelArtifact.RocFile], files);
        foreach (var file in files)
        {
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(first, file)), await File.ReadAllBytesAsync(Path.Combine(second, file)));
        }

        // Another seed holds out other comments: another model.
        var third = Path.Combine(_work.FullName, "c");
        await Service.TrainAsync(examples, request with { Seed = 6 }, third);
        Assert.NotEqual(await File.ReadAllBytesAsync(Path.Combine(first, ModelArtifact.ModelFile)), await File.ReadAllBytesAsync(Path.Combine(third, ModelArtifact.ModelFile)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Onnx_runtime_probabilities_equal_the_in_memory_model(bool withEncoder)
    {
        var examples = SyntheticComments.Generate(600, seed: 11);
        var settings = withEncoder ? new FeatureSettings() : new FeatureSettings { Version = 1 };
        var featurizer = new CommentFeaturizer(settings, WordPieceTokenizer.DistilBertBaseUncased);
        var table = StaticEmbeddingTable.MiniLm;
        string[] extra = ["", "x", new string('a', 3000), "ünïcödé 中国 £5 = |x|", string.Join(' ', Enumerable.Repeat("stupid idiot", 400))];
        var features = featurizer.FeaturizeAll(examples.Select(e => e.Text).Concat(extra).ToList());
        if (withEncoder)
        {
            // The encoder runs in its own batches here and inside the model's graph at scoring: the same features either way.
            using var encoder = new CommentEncoder(settings.EncoderLayers, settings.EncoderMaxTokens);
            features = encoder.WithEncodings(features);
        }

        var model = new ToxicTrainer(featurizer, table).Train(features[..400], examples.Take(400).Select(e => e.Label).ToArray(), new TrainerOptions());
        Assert.Equal(withEncoder, model.Encoder is not null);

        using var runner = new OnnxModelRunner(OnnxGraphBuilder.Build(model, table));
        var scored = features[400..];
        var probabilities = runner.Run(scored);

        // Float32 sums: the encoder's matrix products round differently with another batch padding (about 1e-6 per feature).
        var tolerance = withEncoder ? 1e-4 : 1e-5;

        Assert.Equal(scored.Length, probabilities.Length);
        for (var i = 0; i < scored.Length; i++)
        {
            Assert.Equal(model.Probability(scored[i], table), probabilities[i], tolerance);
        }

        Assert.Contains(probabilities, p => p > 0.5);
        Assert.Contains(probabilities, p => p < 0.5);

        // The metadata names exactly the graph's inputs.
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(OnnxGraphBuilder.Build(model, table));
        Assert.Equal(
            session.InputMetadata.Keys.Order(StringComparer.Ordinal),
            ModelMetadata.OnnxDescription.For(settings).Inputs.Select(i => i.Split(' ')[0]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Metadata_records_the_data_the_settings_and_the_metrics_and_curves_are_png()
    {
        var examples = SyntheticComments.Generate(500, seed: 21);
        var directory = Path.Combine(_work.FullName, "m");

        var metadata = await Service.TrainAsync(examples, new TrainingRequest { Seed = 9, HoldoutFraction = 0.2 }, directory);
        var read = await ModelArtifact.ReadMetadataAsync(directory);

        Assert.Equal(0.45, read.Threshold);
        Assert.Equal("distilbert-base-uncased", read.Tokenizer);
        Assert.Equal(FeatureSettings.CurrentVersion, read.FeatureVersion);
        Assert.Equal(new FeatureSettings(), read.Features);
        Assert.Equal(9, read.Seed);
        Assert.Equal(500, read.TrainingRows + read.HoldoutRows);
        Assert.InRange(read.HoldoutRows, 99, 101);
        Assert.Equal(examples.Count(e => e.Label == 1) - read.Metrics["holdout"].Positives, read.TrainingPositives);
        Assert.Equal(TrainingData.Sha256(examples), read.DataSha256);
        Assert.Equal(["holdout", "training"], read.Metrics.Keys.Order());
        Assert.Equal(metadata.Metrics["holdout"], read.Metrics["holdout"]);
        Assert.Equal("holdout", read.CurvesOf);
        Assert.Equal(
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(directory, ModelArtifact.ModelFile)))),
            read.ModelSha256);
        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(directory, ModelArtifact.MetadataFile)));
        Assert.Equal(0.45, json.RootElement.GetProperty("threshold").GetDouble());

        foreach (var png in new[] { ModelArtifact.RocFile, ModelArtifact.PrecisionRecallFile })
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(directory, png));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], bytes[..8]);
            Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
            Assert.Equal(400, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
            Assert.Equal("IEND", System.Text.Encoding.ASCII.GetString(bytes, bytes.Length - 8, 4));
        }
    }

    [Fact]
    public async Task Training_without_both_classes_is_refused_and_a_directory_without_metadata_is_no_model()
    {
        var clean = SyntheticComments.Generate(50, seed: 1).Select(e => e with { Label = 0 }).ToList();

        await Assert.ThrowsAsync<ArgumentException>(() => Service.TrainAsync(clean, new TrainingRequest(), Path.Combine(_work.FullName, "x")));
        await Assert.ThrowsAsync<InvalidDataException>(() => ModelArtifact.ReadMetadataAsync(_work.FullName));
    }
}
