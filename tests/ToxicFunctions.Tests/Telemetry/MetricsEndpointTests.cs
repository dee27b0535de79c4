using System.Net;
using System.Net.Http.Json;
using System.Text;
using Azure.Storage.Blobs;
using ToxicFunctions.Tests.Infrastructure;
using ToxicFunctions.Tests.Training;

namespace ToxicFunctions.Tests.Telemetry;

/// <summary>
/// <c>GET /metrics</c> as a Prometheus server scrapes it: the local host's after a blob load, and <c>toxic serve</c>'s
/// after scoring requests, each read back in the Prometheus text format with the values the work gave.
/// </summary>
public sealed class MetricsEndpointTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Toxic_serve_counts_each_scoring_request_its_batches_comments_and_the_model_it_served()
    {
        var work = Directory.CreateTempSubdirectory("toxic-metrics-");
        try
        {
            var csv = Path.Combine(work.FullName, "train.csv");
            await File.WriteAllTextAsync(csv, SyntheticSample.ToCsv(SyntheticComments.Generate(300, seed: 4)));
            var model = Path.Combine(work.FullName, "metrics-model");
            var train = await ToxicCli.RunAsync(["train", "--data", csv, "--out", model, "--seed", "3"]);
            Assert.True(train.ExitCode == 0, train.Errors);

            await using var server = await ToxicServeProcess.StartAsync(model);
            for (var i = 0; i < 4; i++)
            {
                using var one = await server.Http.PostAsJsonAsync("api/score", new { text = $"comment number {i}" });
                Assert.Equal(HttpStatusCode.OK, one.StatusCode);
            }

            using (var three = await server.Http.PostAsJsonAsync("api/score", new { texts = new[] { "a", "b", "c" } }))
            {
                Assert.Equal(HttpStatusCode.OK, three.StatusCode);
            }

            using (var bad = await server.Http.PostAsync("api/score", new StringContent("{\"text\": 7}", Encoding.UTF8, "application/json")))
            {
                Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            }

            var samples = await PrometheusSample.ScrapeAsync(server.Http);

            // Five requests reached the batcher (the malformed one was refused before it), seven comments were scored.
            Assert.Equal(5, PrometheusSample.ValueOf(samples, "toxic_scoring_request_duration_seconds_count", ("outcome", "scored")));
            Assert.Equal(5, PrometheusSample.ValueOf(samples, "toxic_scoring_request_duration_seconds_bucket", ("outcome", "scored"), ("le", "+Inf")));
            Assert.InRange(PrometheusSample.ValueOf(samples, "toxic_scoring_request_duration_seconds_sum", ("outcome", "scored")), double.Epsilon, 60);
            Assert.Equal(7, PrometheusSample.ValueOf(samples, "toxic_scoring_batch_size_sum"));
            Assert.InRange(PrometheusSample.ValueOf(samples, "toxic_scoring_batch_size_count"), 2, 5);
            Assert.Equal(0, PrometheusSample.ValueOf(samples, "toxic_scoring_model_version", ("model", "metrics-model")));
            Assert.Contains(samples, s => s.Name == "toxic_scoring_model_version" && s.Labels.GetValueOrDefault("model") == "metrics-model");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_local_host_counts_a_loaded_blobs_rows_and_rejected_rows()
    {
        var container = $"metrics-{Guid.NewGuid():N}"[..24];
        await using var host = await RunningLocalHost.StartAsync(new Dictionary<string, string?>
        {
            ["Postgres:ConnectionString"] = database.ConnectionString,
            ["RawBlobContainer"] = container,
            ["LocalHost:BlobTrigger:PollInterval"] = "00:00:00.200",
        });
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        // Other tests' hosts may run in this process too: the figures are compared before and after this load.
        var before = await PrometheusSample.ScrapeAsync(http);
        var blobs = database.Get<BlobServiceClient>().GetBlobContainerClient(container);
        await blobs.CreateIfNotExistsAsync();
        await blobs.GetBlobClient("counted.csv").UploadAsync(
            new BinaryData(Encoding.UTF8.GetBytes("comment_text,labels\nhello there,0\nyou fool,1\nthird,0\nbad label,7\n")), overwrite: true);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await database.ScalarAsync<long?>(
            "SELECT rows_loaded FROM staging.loads WHERE store = 'blob' AND container = @c AND object_key = 'counted.csv' AND status = 'loaded'", ("c", container)) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the blob was not loaded within 30 s");
            await Task.Delay(200);
        }

        // The load is counted as its call returns, just after its row is committed.
        var after = await PrometheusSample.ScrapeAsync(http);
        for (var counted = DateTime.UtcNow.AddSeconds(10); PrometheusSample.ValueOf(after, "toxic_loads_total", ("outcome", "Loaded")) <= PrometheusSample.ValueOf(before, "toxic_loads_total", ("outcome", "Loaded")) && DateTime.UtcNow < counted;)
        {
            await Task.Delay(100);
            after = await PrometheusSample.ScrapeAsync(http);
        }

        double Delta(string name, params (string, string)[] labels) =>
            PrometheusSample.ValueOf(after, name, labels) - PrometheusSample.ValueOf(before, name, labels);
        Assert.True(Delta("toxic_loads_total", ("outcome", "Loaded")) >= 1, "no load counted");
        Assert.True(Delta("toxic_rows_ingested_total") >= 3, "fewer than the 3 loaded rows counted");
        Assert.True(Delta("toxic_rows_rejected_total") >= 1, "the rejected row was not counted");
    }
}
