using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ToxicFunctions.Storage;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Pipeline;

/// <summary>The pipeline's HTTP surface on the local host: start (202 + status URLs), status, terminate, purge, registry, scoring.</summary>
public sealed class PipelineHttpTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_pipeline_started_over_http_completes_and_its_model_is_listed()
    {
        var bucket = $"test-http-{Guid.NewGuid():N}"[..24];
        await database.Get<S3RawObjects>().EnsureBucketAsync(bucket, default);
        await PipelineHarness.IngestSampleAsync(database);
        var telemetry = new InMemoryTelemetry();
        await using var host = await RunningLocalHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["Postgres:ConnectionString"] = database.ConnectionString,
                ["Postgres:MigrateOnStartup"] = "false",
                ["LocalHost:BlobTrigger:Enabled"] = "false",
                ["Pipeline:ArtifactsBucket"] = bucket,
                ["S3:ReportsBucket"] = bucket,
                [InMemoryTelemetry.Setting.Key] = InMemoryTelemetry.Setting.Value,
            },
            telemetry.AddTo);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var early = await http.PostAsJsonAsync("api/score", new { text = "hello" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
        Assert.Equal("application/problem+json", early.Content.Headers.ContentType?.MediaType);

        using var start = await http.PostAsync("api/pipelines/training", null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var links = await start.Content.ReadFromJsonAsync<JsonElement>();
        var statusUri = links.GetProperty("statusQueryGetUri").GetString()!;
        Assert.Equal(statusUri, start.Headers.Location?.ToString());

        var status = await PipelineStatus.WaitForEndAsync(http, statusUri);

        Assert.Equal("Completed", status.GetProperty("runtimeStatus").GetString());
        Assert.Equal(JsonValueKind.Object, status.GetProperty("customStatus").ValueKind);

        // One trace: the start request, the orchestration and every activity it called (Durable Task's spans).
        var instanceId = links.GetProperty("id").GetString();
        var orchestration = await telemetry.WaitForSpanAsync(
            s => s.Source.Name == "Microsoft.DurableTask" && s.Kind == ActivityKind.Server && (string?)s.GetTagItem("durabletask.task.instance_id") == instanceId,
            TimeSpan.FromSeconds(30));
        var run = telemetry.Spans.Where(s => s.TraceId == orchestration.TraceId).ToList();
        Assert.Contains(run, s => s.Kind == ActivityKind.Server && (string?)s.GetTagItem("url.path") == "/api/pipelines/training");
        var activities = run.Where(s => s.Source.Name == "Microsoft.DurableTask" && (string?)s.GetTagItem("durabletask.type") == "activity")
            .Select(s => (string?)s.GetTagItem("durabletask.task.name")).ToHashSet();
        Assert.Superset(new HashSet<string?> { "Transform", "Validate", "ExtractSnapshot", "Train", "Evaluate", "Register", "Promote" }, activities);

        // As under the Functions host, the check-status URLs are the Durable extension's: an ended run is Gone.
        using var terminate = await http.PostAsync(links.GetProperty("terminatePostUri").GetString(), null);
        Assert.Equal(HttpStatusCode.Gone, terminate.StatusCode);

        var models = await http.GetFromJsonAsync<JsonElement>("api/models");
        Assert.Contains("champion", models.GetRawText(), StringComparison.Ordinal);

        // The champion scores comments, in order, with labels at its threshold.
        using var scored = await http.PostAsJsonAsync("api/score", new { texts = new[] { "you are a stupid worthless idiot", "thanks for fixing the citation" } });
        Assert.Equal(HttpStatusCode.OK, scored.StatusCode);
        var scores = await scored.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, scores.GetProperty("version").GetInt32());
        Assert.Equal(0.45, scores.GetProperty("threshold").GetDouble(), 1e-9);
        var results = scores.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(2, results.Length);
        Assert.True(results[0].GetProperty("probability").GetDouble() > results[1].GetProperty("probability").GetDouble());
        Assert.Equal((1, 0), (results[0].GetProperty("label").GetInt32(), results[1].GetProperty("label").GetInt32()));
        foreach (var bad in new object[] { new { texts = new object[] { "ok", 1 } }, new { texts = Array.Empty<string>() }, new { text = "a", texts = new[] { "b" } }, new { comment = "x" } })
        {
            using var rejected = await http.PostAsJsonAsync("api/score", bad);
            Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
            Assert.Equal("application/problem+json", rejected.Content.Headers.ContentType?.MediaType);
        }

        // Each kind of bad request gets its code as problem+json, and the next good request is scored.
        foreach (var (body, contentType, method, code) in new (string Body, string ContentType, string Method, HttpStatusCode Code)[]
        {
            ("{\"text\": null}", "application/json", "POST", HttpStatusCode.BadRequest),
            ("{}", "application/json", "POST", HttpStatusCode.BadRequest),
            ("{\"texts\": [" + string.Join(",", Enumerable.Repeat("\"x\"", ToxicFunctions.Scoring.ScoringRequest.MaxTexts + 1)) + "]}", "application/json", "POST", HttpStatusCode.RequestEntityTooLarge),
            ("{\"text\": \"" + new string('y', ToxicFunctions.Scoring.ScoringRequest.MaxTextChars + 1) + "\"}", "application/json", "POST", HttpStatusCode.RequestEntityTooLarge),
            ("text=hello", "application/x-www-form-urlencoded", "POST", HttpStatusCode.UnsupportedMediaType),
            ("{\"text\": \"hello\"}", "text/plain", "POST", HttpStatusCode.UnsupportedMediaType),
            ("", "application/json", "GET", HttpStatusCode.MethodNotAllowed),
            ("{\"text\": \"hello\"}", "application/json", "PUT", HttpStatusCode.MethodNotAllowed),
        })
        {
            using var message = new HttpRequestMessage(new HttpMethod(method), "api/score");
            if (method != "GET")
            {
                message.Content = new StringContent(body, System.Text.Encoding.UTF8);
                message.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
            }

            using var refused = await http.SendAsync(message);
            Assert.Equal(code, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            using var next = await http.PostAsJsonAsync("api/score", new { text = "" });
            Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        }

        using var notJson = await http.PostAsync("api/score", new StringContent("{\"texts\": [", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);

        // JSON can escape a lone surrogate, which is no text: named in a 400, not a 500.
        using var loneSurrogate = await http.PostAsync(
            "api/score", new StringContent("{\"texts\": [\"ok\", \"\\ud800\"]}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, loneSurrogate.StatusCode);
        Assert.Contains("texts[1]", await loneSurrogate.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The run's validation, training and the requests above are in the host's metrics, as Prometheus scrapes them.
        var model = scores.GetProperty("model").GetString()!;
        var samples = await PrometheusSample.ScrapeAsync(http);
        Assert.True(samples.Where(s => s.Name == "toxic_validation_runs_total" && s.Labels.GetValueOrDefault("suite") == "staging").Sum(s => s.Value) >= 1, "no validation run counted");
        Assert.True(PrometheusSample.ValueOf(samples, "toxic_training_duration_seconds_count", ("model", model)) >= 1, "no training counted");
        Assert.Contains(samples, s => s.Name == "toxic_training_auc" && s.Labels.GetValueOrDefault("model") == model && s.Value is > 0.5 and <= 1);
        Assert.Contains(samples, s => s.Name == "toxic_scoring_model_version" && s.Labels.GetValueOrDefault("model") == model && s.Value == 1);
        Assert.True(PrometheusSample.ValueOf(samples, "toxic_scoring_request_duration_seconds_count", ("outcome", "failed")) >= 1, "the 503 before the first champion was not counted");
        Assert.True(PrometheusSample.ValueOf(samples, "toxic_scoring_request_duration_seconds_count", ("outcome", "scored")) >= 9, "fewer scored requests counted than were answered");

        await ReportLinkCases.AssertRunLinksAsync(http, host.Services, status.GetProperty("output"));

        using var purge = await http.DeleteAsync(links.GetProperty("purgeHistoryDeleteUri").GetString());
        Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        using var gone = await http.GetAsync(statusUri);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using var goneHere = await http.GetAsync($"api/pipelines/{links.GetProperty("id").GetString()}");
        Assert.Equal(HttpStatusCode.NotFound, goneHere.StatusCode);
        Assert.Equal("application/problem+json", goneHere.Content.Headers.ContentType?.MediaType);
    }
}
