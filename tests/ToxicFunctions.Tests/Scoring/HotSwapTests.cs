using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ToxicFunctions.Pipeline;
using ToxicFunctions.Storage;
using ToxicFunctions.Tests.Infrastructure;
using ToxicFunctions.Tests.Pipeline;
using ToxicFunctions.Tests.Training;
using ToxicFunctions.Tokenization;
using ToxicFunctions.Training;

namespace ToxicFunctions.Tests.Scoring;

/// <summary>
/// A promotion and a rollback over HTTP while concurrent clients score over HTTP: every request succeeds, every
/// response is wholly one version's scores, and each change is served within seconds.
/// </summary>
public sealed class HotSwapTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string Model = "toxic-comments";

    [Fact]
    public async Task Promote_and_rollback_under_concurrent_load_fail_no_request_and_mix_no_versions()
    {
        var bucket = $"test-swap-{Guid.NewGuid():N}"[..24];
        await database.Get<S3RawObjects>().EnsureBucketAsync(bucket, default);
        await using var host = await RunningLocalHost.StartAsync(new Dictionary<string, string?>
        {
            ["Postgres:ConnectionString"] = database.ConnectionString,
            ["Postgres:MigrateOnStartup"] = "false",
            ["LocalHost:BlobTrigger:Enabled"] = "false",
            ["LocalHost:EncodingTimer:Enabled"] = "false",
            ["Pipeline:ArtifactsBucket"] = bucket,
            ["Scoring:ChampionRecheckInterval"] = "00:00:00.200",
        });
        var texts = SyntheticComments.Generate(40, seed: 21).Select(e => e.Text).Take(6).ToArray();
        var expected = new Dictionary<int, float[]>();
        foreach (var seed in new[] { 5, 6 })
        {
            var (version, scores) = await RegisterAsync(host.Services, seed, texts);
            expected[version] = scores;
        }

        int[] versions = [.. expected.Keys.Order()];
        Assert.NotEqual(expected[versions[0]], expected[versions[1]]);
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using (var promoted = await http.PostAsync($"api/models/{Model}/versions/{versions[0]}/promote", null))
        {
            Assert.True(promoted.IsSuccessStatusCode, await promoted.Content.ReadAsStringAsync());
        }

        var failures = new ConcurrentQueue<string>();
        var served = new ConcurrentQueue<(DateTime At, int Version)>();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 8).Select(client => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await http.PostAsJsonAsync("api/score", new { texts });
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        failures.Enqueue($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                        continue;
                    }

                    var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                    var version = body.GetProperty("version").GetInt32();
                    var probabilities = body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("probability").GetSingle()).ToArray();
                    if (!expected.TryGetValue(version, out var want) || want.Zip(probabilities).Any(p => Math.Abs(p.First - p.Second) > 1e-5))
                    {
                        failures.Enqueue($"version {version} answered [{string.Join(", ", probabilities)}], not its own scores");
                    }

                    served.Enqueue((DateTime.UtcNow, version));
                }
                catch (Exception e)
                {
                    failures.Enqueue(e.Message);
                }
            }
        })).ToArray();

        await WaitForAsync(served, failures, versions[0], DateTime.UtcNow);
        var promotedAt = DateTime.UtcNow;
        using (var promote = await http.PostAsync($"api/models/{Model}/versions/{versions[1]}/promote", null))
        {
            Assert.True(promote.IsSuccessStatusCode, await promote.Content.ReadAsStringAsync());
        }

        var promotionServedAfter = await WaitForAsync(served, failures, versions[1], promotedAt);
        var rolledBackAt = DateTime.UtcNow;
        using (var rollback = await http.PostAsync($"api/models/{Model}/rollback", null))
        {
            Assert.True(rollback.IsSuccessStatusCode, await rollback.Content.ReadAsStringAsync());
        }

        var rollbackServedAfter = await WaitForAsync(served, failures, versions[0], rolledBackAt);
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.Empty(failures);
        Assert.InRange(promotionServedAfter, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.InRange(rollbackServedAfter, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    /// <summary>Waits until a response of <paramref name="version"/> arrives after <paramref name="since"/>; returns how long after.</summary>
    private static async Task<TimeSpan> WaitForAsync(
        ConcurrentQueue<(DateTime At, int Version)> served, ConcurrentQueue<string> failures, int version, DateTime since)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (served.Where(s => s.At > since && s.Version == version).Select(s => (DateTime?)s.At).Min() is { } first)
            {
                // Once the new version is served, the old one is not served again for requests started later.
                await Task.Delay(300);
                var later = served.Where(s => s.At > first + TimeSpan.FromMilliseconds(200)).ToList();
                Assert.All(later, s => Assert.Equal(version, s.Version));
                return first - since;
            }

            await Task.Delay(20);
        }

        var answered = served.Where(s => s.At > since).GroupBy(s => s.Version).Select(g => $"version {g.Key}: {g.Count()}");
        throw new TimeoutException(
            $"Version {version} was not served within 30 s. Answered since: [{string.Join(", ", answered)}]; " +
            $"{failures.Count} failed requests, the first: [{string.Join(" | ", failures.Take(3))}].");
    }

    private async Task<(int Version, float[] Scores)> RegisterAsync(IServiceProvider services, int seed, string[] texts)
    {
        var store = (IArtifactStore)services.GetService(typeof(IArtifactStore))!;
        var directory = Directory.CreateTempSubdirectory("swap-model-");
        try
        {
            await new ModelTrainingService(WordPieceTokenizer.DistilBertBaseUncased).TrainAsync(
                SyntheticComments.Generate(300, seed: seed), new TrainingRequest { Features = new FeatureSettings { EncoderLayers = 0 } }, directory.FullName);
            var prefix = $"models/swap-test/{seed}/";
            foreach (var file in directory.GetFiles())
            {
                await store.PutFileAsync(prefix + file.Name, file.FullName, "application/octet-stream", CancellationToken.None);
            }

            using var scorer = await ToxicScorer.LoadAsync(directory.FullName, WordPieceTokenizer.DistilBertBaseUncased);
            return (await RegistryRows.RegisterAsync(services, database, Model, store.Uri(prefix)), scorer.Score(texts));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
