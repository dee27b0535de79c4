using System.Security.Cryptography;
using ToxicFunctions.Tokenization;

namespace ToxicFunctions.Training;

/// <summary>
/// Labelled comments in, a model directory out (<see cref="ModelArtifact"/>): featurize on all cores, optionally hold
/// out a stratified share, fit <see cref="ToxicModel"/>, measure it, write the ONNX graph, metadata and curves.
/// </summary>
public sealed class ModelTrainingService(WordPieceTokenizer tokenizer)
{
    /// <summary>Trains on <paramref name="examples"/> and writes the artifact into <paramref name="outputDirectory"/>.</summary>
    /// <exception cref="ArgumentException">Too few comments, or a class is missing.</exception>
    public Task<ModelMetadata> TrainAsync(
        IReadOnlyList<TrainingExample> examples, TrainingRequest request, string outputDirectory, CancellationToken cancellationToken = default) =>
        TrainAsync(examples, request, outputDirectory, null, cancellationToken);

    /// <summary>Trains on <paramref name="examples"/> and writes the artifact into <paramref name="outputDirectory"/>, telling <paramref name="progress"/> how far it is.</summary>
    /// <param name="examples">The labelled comments.</param>
    /// <param name="request">Split, features, trainer and cascade settings.</param>
    /// <param name="outputDirectory">Where the model directory is written.</param>
    /// <param name="progress">
    /// Told how far each stage is (<see cref="TrainingStage"/>), synchronously from the working threads: per 256 comments
    /// featurized, per comment encoded, per view fitted.
    /// </param>
    /// <param name="cancellationToken">Cancels training.</param>
    /// <exception cref="ArgumentException">Too few comments, or a class is missing.</exception>
    public async Task<ModelMetadata> TrainAsync(
        IReadOnlyList<TrainingExample> examples,
        TrainingRequest request,
        string outputDirectory,
        IProgress<TrainingProgress>? progress,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(request);
        var labels = examples.Select(e => e.Label).ToArray();
        var positives = labels.Count(l => l == 1);
        if (labels.Any(l => l > 1) || positives < 2 || labels.Length - positives < 2)
        {
            throw new ArgumentException(
                $"Training needs 0/1 labels and at least two comments of each class; got {positives} toxic of {labels.Length}.", nameof(examples));
        }

        var featurizer = new CommentFeaturizer(request.Features, tokenizer);
        var features = new CommentFeatures[examples.Count];
        var featurized = 0;
        progress?.Report(new TrainingProgress(TrainingStage.Featurize, 0, examples.Count));
        Parallel.For(0, examples.Count, BoundedParallelism.With(cancellationToken), i =>
        {
            features[i] = examples[i].InputIds is { } ids ? featurizer.Featurize(examples[i].Text, ids) : featurizer.Featurize(examples[i].Text);
            if (progress is not null)
            {
                // A comment featurizes in microseconds: report every 256th, so the count costs one interlocked add.
                var done = Interlocked.Increment(ref featurized);
                if ((done & 255) == 0 || done == examples.Count)
                {
                    progress.Report(new TrainingProgress(TrainingStage.Featurize, done, examples.Count));
                }
            }
        });

        if (request.Features.UsesEncoder)
        {
            // Features kept with the examples are used as they are; the encoder runs only when some are missing.
            features = features.Select((f, i) => f with { Encoding = examples[i].Encoding }).ToArray();
            if (features.Any(f => f.Encoding is null))
            {
                using var encoder = new CommentEncoder(request.Features.EncoderLayers, request.Features.EncoderMaxTokens);
                var missing = features.Count(f => f.Encoding is null);
                progress?.Report(new TrainingProgress(TrainingStage.Encode, 0, missing));
                features = encoder.WithEncodings(
                    features,
                    progress is null ? null : new Reporter<int>(done => progress.Report(new TrainingProgress(TrainingStage.Encode, done, missing))),
                    cancellationToken);
            }
        }

        var (train, holdout) = request.HoldoutFraction > 0
            ? StratifiedSplit.Holdout(labels, request.HoldoutFraction, request.Seed, examples.Select(e => e.Text).ToArray())
            : (Enumerable.Range(0, labels.Length).ToArray(), []);
        var table = StaticEmbeddingTable.MiniLm;
        var trainer = new ToxicTrainer(featurizer, table);
        var cascadeFolds = request.Cascade is { } c && request.Features.UsesEncoder ? c.Folds : 0;
        var fits = new FitCounter(progress, (request.Features.UsesEncoder ? 3 : 2) * (1 + cascadeFolds));
        var (model, fast) = trainer.TrainPair(train.Select(i => features[i]).ToArray(), train.Select(i => labels[i]).ToArray(), request.Trainer, fits);
        cancellationToken.ThrowIfCancellationRequested();
        var band = request.Cascade is { } cascade && request.Features.UsesEncoder
            ? ChooseBand(trainer, features, labels, train, examples, request, cascade, fits, cancellationToken)
            : null;

        const double threshold = ModelMetadata.DefaultThreshold;
        var metrics = new SortedDictionary<string, ClassificationMetrics>(StringComparer.Ordinal);
        var (trainProbabilities, trainLabels) = Score(model, fast, band, table, features, labels, train);
        metrics["training"] = ClassificationMetrics.Compute(trainProbabilities, trainLabels, threshold);
        var (curveProbabilities, curveLabels) = (trainProbabilities, trainLabels);
        if (holdout.Length > 0)
        {
            (curveProbabilities, curveLabels) = Score(model, fast, band, table, features, labels, holdout);
            metrics["holdout"] = ClassificationMetrics.Compute(curveProbabilities, curveLabels, threshold);
            if (band is not null)
            {
                // The cascade's parts alone, for comparison: "holdout" is what the directory serves.
                metrics["holdout-encoder"] = ClassificationMetrics.Compute(Score(model, model, null, table, features, labels, holdout).Probabilities, curveLabels, threshold);
                metrics["holdout-fast"] = ClassificationMetrics.Compute(Score(fast, fast, null, table, features, labels, holdout).Probabilities, curveLabels, threshold);
            }
        }

        var onnx = OnnxGraphBuilder.Build(model, table);
        if (band is not null)
        {
            var fastOnnx = OnnxGraphBuilder.Build(fast, table);
            band = band with { FastModelSha256 = Convert.ToHexStringLower(SHA256.HashData(fastOnnx)) };
            await ModelArtifact.WriteFastModelAsync(outputDirectory, fastOnnx, cancellationToken);
        }

        var metadata = new ModelMetadata
        {
            Threshold = threshold,
            Features = request.Features,
            Onnx = ModelMetadata.OnnxDescription.For(request.Features),
            Trainer = request.Trainer,
            Seed = request.Seed,
            TrainingRows = train.Length,
            TrainingPositives = train.Count(i => labels[i] == 1),
            HoldoutRows = holdout.Length,
            DataSha256 = TrainingData.Sha256(examples),
            ModelSha256 = Convert.ToHexStringLower(SHA256.HashData(onnx)),
            Metrics = metrics,
            CurvesOf = holdout.Length > 0 ? "holdout" : "training",
            Cascade = band,
        };
        await ModelArtifact.WriteAsync(
            outputDirectory,
            metadata,
            onnx,
            CurvePlot.Roc(curveProbabilities, curveLabels),
            CurvePlot.PrecisionRecall(curveProbabilities, curveLabels),
            cancellationToken);
        return metadata;
    }

    /// <summary>
    /// The cascade's band, chosen on the training rows only: the fast and the encoder model are fitted on all folds but
    /// one and score that one, and <see cref="CascadeBand.Choose"/> picks the band from these out-of-fold probabilities.
    /// </summary>
    private static CascadeBand ChooseBand(
        ToxicTrainer trainer,
        CommentFeatures[] features,
        byte[] labels,
        int[] train,
        IReadOnlyList<TrainingExample> examples,
        TrainingRequest request,
        CascadeOptions cascade,
        IProgress<int> fits,
        CancellationToken cancellationToken)
    {
        var trainLabels = train.Select(i => labels[i]).ToArray();
        var fold = StratifiedSplit.Folds(trainLabels, cascade.Folds, request.Seed, train.Select(i => examples[i].Text).ToArray());
        var fastOutOfFold = new double[train.Length];
        var encoderOutOfFold = new double[train.Length];
        for (var f = 0; f < cascade.Folds; f++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var fit = Enumerable.Range(0, train.Length).Where(k => fold[k] != f).ToArray();
            var scored = Enumerable.Range(0, train.Length).Where(k => fold[k] == f).ToArray();
            var (encoder, fast) = trainer.TrainPair(fit.Select(k => features[train[k]]).ToArray(), fit.Select(k => trainLabels[k]).ToArray(), request.Trainer, fits);
            Parallel.ForEach(scored, BoundedParallelism.Options, k =>
            {
                fastOutOfFold[k] = fast.Probability(features[train[k]], trainer.Table);
                encoderOutOfFold[k] = encoder.Probability(features[train[k]], trainer.Table);
            });
        }

        return CascadeBand.Choose(fastOutOfFold, encoderOutOfFold, trainLabels, cascade.AucBudget, cascade.Steps) with { Folds = cascade.Folds, QuantizedEncoder = cascade.QuantizedEncoder };
    }

    private static (double[] Probabilities, byte[] Labels) Score(
        ToxicModel model, ToxicModel fast, CascadeBand? band, StaticEmbeddingTable table, CommentFeatures[] features, byte[] labels, int[] rows)
    {
        var probabilities = new double[rows.Length];
        Parallel.For(0, rows.Length, BoundedParallelism.Options, k =>
        {
            var fastProbability = band is null ? 0 : fast.Probability(features[rows[k]], table);
            probabilities[k] = band is null || band.Routes(fastProbability) ? model.Probability(features[rows[k]], table) : fastProbability;
        });
        return (probabilities, rows.Select(i => labels[i]).ToArray());
    }

    /// <summary>Counts view fits over every <see cref="ToxicTrainer.TrainPair"/> call of a run and reports them as <see cref="TrainingStage.Fit"/>.</summary>
    private sealed class FitCounter : IProgress<int>
    {
        private readonly IProgress<TrainingProgress>? _progress;
        private readonly int _total;
        private int _done;

        public FitCounter(IProgress<TrainingProgress>? progress, int total)
        {
            (_progress, _total) = (progress, total);
            progress?.Report(new TrainingProgress(TrainingStage.Fit, 0, total));
        }

        public void Report(int value) => _progress?.Report(new TrainingProgress(TrainingStage.Fit, Interlocked.Increment(ref _done), _total));
    }

    /// <summary>A synchronous <see cref="IProgress{T}"/> (<see cref="Progress{T}"/> posts to the thread pool, which would reorder reports).</summary>
    private sealed class Reporter<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
