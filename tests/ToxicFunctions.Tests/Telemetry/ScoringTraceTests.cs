using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ToxicFunctions.Scoring;
using ToxicFunctions.Telemetry;
using ToxicFunctions.Tests.Training;
using ToxicFunctions.Tokenization;
using ToxicFunctions.Training;

namespace ToxicFunctions.Tests.Telemetry;

/// <summary>The scoring batcher's span: one per model run, linked to the span of every request it answered.</summary>
public sealed class ScoringTraceTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("toxic-scoring-trace-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task A_model_run_links_each_request_it_answers_and_names_the_model()
    {
        var directory = Path.Combine(_work.FullName, "traced-model");
        await new ModelTrainingService(WordPieceTokenizer.DistilBertBaseUncased)
            .TrainAsync(SyntheticComments.Generate(400, seed: 8), new TrainingRequest { Seed = 2 }, directory);
        using var source = await DirectoryModelSource.LoadAsync(directory, WordPieceTokenizer.DistilBertBaseUncased, CancellationToken.None);

        var runs = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == ToxicTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.OperationName == "score" && (string?)a.GetTagItem("toxic.model.name") == "traced-model")
                {
                    runs.Enqueue(a);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        // A wait long enough to gather the concurrent requests into few runs.
        await using var services = new ServiceCollection().AddToxicMetrics().BuildServiceProvider();
        var options = Options.Create(new ScoringOptions { MaxBatchWait = TimeSpan.FromMilliseconds(50) });
        await using var batcher = new ScoringBatcher(source, options, services.GetRequiredService<ToxicMetrics>(), NullLogger<ScoringBatcher>.Instance);
        using var requestSource = new ActivitySource("tests.requests");
        using var requestListener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "tests.requests",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(requestListener);
        var requests = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            using var request = requestSource.StartActivity($"request {i}")!;
            var response = await batcher.ScoreAsync([$"comment number {i}", "another one"], CancellationToken.None);
            Assert.Equal(2, response.Results.Count);
            return request.Context;
        })));

        // A run's span ends after it has answered its requests: wait until the runs that answered all 16 comments have ended.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (runs.Sum(r => (int)r.GetTagItem("toxic.scoring.comments")!) < 16 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        var all = runs.ToList();
        Assert.NotEmpty(all);
        Assert.True(all.Count < requests.Length, $"{all.Count} model runs for {requests.Length} concurrent requests");
        var linked = all.SelectMany(r => r.Links).Select(l => l.Context).ToList();
        Assert.Equal(requests.OrderBy(c => c.SpanId.ToHexString()), linked.OrderBy(c => c.SpanId.ToHexString()));
        Assert.Equal(16, all.Sum(r => (int)r.GetTagItem("toxic.scoring.comments")!));
        Assert.All(all, r => Assert.Equal(default, r.ParentSpanId));
    }
}
