using System.Collections.Concurrent;
using ToxicFunctions.Tokenization;
using ToxicFunctions.Training;

namespace ToxicFunctions.Tests.Training;

/// <summary>
/// <see cref="ModelTrainingService"/>'s progress reports: each stage from 0 to its total in order (featurize, encode,
/// fit, with a cascade's fold fits counted in), and the artifact is byte for byte the one trained without a listener.
/// </summary>
public sealed class TrainingProgressTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("toxic-progress-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task Every_stage_reports_up_to_its_total_and_the_model_is_the_same_without_a_listener()
    {
        var examples = SyntheticComments.Generate(300, seed: 13);
        var request = new TrainingRequest { Seed = 3, Cascade = new CascadeOptions { Folds = 2 } };
        var service = new ModelTrainingService(WordPieceTokenizer.DistilBertBaseUncased);
        var reports = new ConcurrentQueue<TrainingProgress>();
        var watched = Path.Combine(_work.FullName, "watched");
        var quiet = Path.Combine(_work.FullName, "quiet");

        await service.TrainAsync(examples, request, watched, new Recorder(reports));
        await service.TrainAsync(examples, request, quiet);

        // The stages in order, each starting at 0 and ending at its total: 3 views for the model and 3 per fold.
        var stages = reports.Select(r => r.Stage).Distinct().ToArray();
        Assert.Equal([TrainingStage.Featurize, TrainingStage.Encode, TrainingStage.Fit], stages);
        foreach (var (stage, total) in new[] { (TrainingStage.Featurize, 300L), (TrainingStage.Encode, 300L), (TrainingStage.Fit, 9L) })
        {
            var ofStage = reports.Where(r => r.Stage == stage).ToArray();
            Assert.All(ofStage, r => Assert.Equal(total, r.Total));
            Assert.Equal(0, ofStage[0].Done);
            Assert.Equal(total, ofStage.Max(r => r.Done));
            Assert.All(ofStage, r => Assert.InRange(r.Done, 0, total));
        }

        // Featurizing reports every 256th comment and the last, not each one.
        Assert.Equal([0L, 256L, 300L], reports.Where(r => r.Stage == TrainingStage.Featurize).Select(r => r.Done).Order());
        Assert.Equal(
            Directory.GetFiles(quiet).Select(Path.GetFileName).Order(StringComparer.Ordinal),
            Directory.GetFiles(watched).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var file in Directory.GetFiles(quiet))
        {
            Assert.Equal(await File.ReadAllBytesAsync(file), await File.ReadAllBytesAsync(Path.Combine(watched, Path.GetFileName(file))));
        }
    }

    private sealed class Recorder(ConcurrentQueue<TrainingProgress> reports) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => reports.Enqueue(value);
    }
}
