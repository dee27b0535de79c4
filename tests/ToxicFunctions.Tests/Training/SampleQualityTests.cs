using ToxicFunctions.Csv;
using ToxicFunctions.Tests.Infrastructure;
using ToxicFunctions.Tokenization;
using ToxicFunctions.Training;

namespace ToxicFunctions.Tests.Training;

/// <summary>
/// Quality on the sample data: trained on a stratified 80% of it (seed 42), measured on the other 20% through the
/// artifact's ONNX graph, as <c>toxic evaluate</c> does. On the real text_comment_1.csv the bounds are what this model
/// reaches with a small margin (hold-out AUC 0.9676, F1 0.761 when written), above the recipe's scikit-learn peers on the
/// same split. On the generated fixture (<see cref="SyntheticSample"/>, a bare clone) they are likewise what the model
/// reaches there less a margin (hold-out AUC 0.9964, F1 0.938 when written; the AUC margin is about two of its 194 toxic
/// hold-out comments ranked below every clean one, the F1 margin about ten comments misjudged): its toxic comments mostly
/// insult directly, a plainer signal than the real one's, hence the higher bounds.
/// </summary>
public sealed class SampleQualityTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("toxic-quality-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task Holdout_auc_and_f1_of_a_model_trained_on_the_sample()
    {
        var sample = SampleData.File;
        var (minAuc, minF1) = sample.IsReal ? (0.965, 0.74) : (0.985, 0.91);
        var (records, _) = await CommentCsvReader.ReadFileAsync(sample.Path);
        var labels = records.Select(r => (byte)r.Label).ToArray();
        var (train, holdout) = StratifiedSplit.Holdout(labels, 0.2, seed: 42);
        var examples = train.Select(i => new TrainingExample(records[i].Text, labels[i])).ToList();

        await new ModelTrainingService(WordPieceTokenizer.DistilBertBaseUncased).TrainAsync(examples, new TrainingRequest(), _work.FullName);
        using var scorer = await ToxicScorer.LoadAsync(_work.FullName, WordPieceTokenizer.DistilBertBaseUncased);
        var probabilities = scorer.Score(holdout.Select(i => records[i].Text).ToList());
        var metrics = ClassificationMetrics.Compute(probabilities.Select(p => (double)p).ToList(), holdout.Select(i => labels[i]).ToList(), scorer.Threshold);

        Assert.Equal(sample.Rows / 5, metrics.Count);
        var measured = $"hold-out AUC {metrics.Auc:F4}, F1@0.45 {metrics.F1:F4} on {sample}";
        Assert.True(metrics.Auc >= minAuc, measured);
        Assert.True(metrics.F1 >= minF1, measured);
    }
}
