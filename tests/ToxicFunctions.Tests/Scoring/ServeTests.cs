using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using ToxicFunctions.Functions.Scoring;
using ToxicFunctions.Scoring;
using ToxicFunctions.Tests.Infrastructure;
using ToxicFunctions.Tests.Training;

namespace ToxicFunctions.Tests.Scoring;

/// <summary><c>toxic serve --model DIR</c> as a user runs it: a process answering the scoring API over real HTTP.</summary>
public sealed class ServeTests : IAsyncLifetime
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("toxic-serve-");
    private readonly string[] _texts = [.. SyntheticComments.Generate(60, seed: 12).Select(e => e.Text).Take(24), "", string.Join(' ', Enumerable.Repeat("idiot", 700))];
    private ToxicServeProcess? _server;
    private HttpClient _http = null!;
    private string _model = null!;

    public async Task InitializeAsync()
    {
        var csv = Path.Combine(_work.FullName, "train.csv");
        await File.WriteAllTextAsync(csv, SyntheticSample.ToCsv(SyntheticComments.Generate(500, seed: 4)));
        _model = Path.Combine(_work.FullName, "fast-model");
        var train = await ToxicCli.RunAsync(["train", "--data", csv, "--out", _model, "--seed", "3"]);
        Assert.True(train.ExitCode == 0, train.Errors);

        _server = await ToxicServeProcess.StartAsync(_model);
        _http = _server.Http;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _work.Delete(recursive: true);
    }

    [Fact]
    public async Task Scores_over_http_equal_toxic_score_for_the_same_model_alone_and_under_concurrent_requests()
    {
        var cli = await ToxicCli.RunAsync(["score", "--model", _model], string.Concat(_texts.Select(t => JsonSerializer.Serialize(new { text = t }) + "\n")));
        Assert.True(cli.ExitCode == 0, cli.Errors);
        var expected = cli.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("probability").GetSingle()).ToArray();
        Assert.Equal(_texts.Length, expected.Length);

        using var batch = await _http.PostAsJsonAsync("api/score", new { texts = _texts });
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        var body = await batch.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(Path.GetFileName(_model), body.GetProperty("model").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("version").ValueKind);
        var threshold = body.GetProperty("threshold").GetDouble();
        var results = body.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(expected.Length, results.Length);
        for (var i = 0; i < results.Length; i++)
        {
            var p = results[i].GetProperty("probability").GetSingle();
            Assert.Equal(expected[i], p, 1e-6f);
            Assert.Equal(p >= threshold ? 1 : 0, results[i].GetProperty("label").GetInt32());
        }

        Assert.Equal((2, false), (results[^2].GetProperty("tokens").GetInt32(), results[^2].GetProperty("truncated").GetBoolean())); // the empty text scores
        Assert.Equal((512, true), (results[^1].GetProperty("tokens").GetInt32(), results[^1].GetProperty("truncated").GetBoolean()));

        // Concurrent single-text requests are batched together and each still gets its own comment's score.
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 64).Select(async i =>
        {
            using var response = await _http.PostAsJsonAsync("api/score", new { text = _texts[i % _texts.Length] });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (i % _texts.Length, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results")[0].GetProperty("probability").GetSingle());
        }));
        Assert.All(concurrent, c => Assert.Equal(expected[c.Item1], c.Item2, 1e-6f));
    }

    [Fact]
    public async Task Each_kind_of_bad_request_gets_its_code_as_problem_json_and_the_next_good_request_succeeds()
    {
        foreach (var (method, body, contentType, code) in new (string, string, string, HttpStatusCode)[]
        {
            ("POST", "{\"texts\": [", "application/json", HttpStatusCode.BadRequest),
            ("POST", "{\"texts\": [\"a\", 1]}", "application/json", HttpStatusCode.BadRequest),
            ("POST", "{\"text\": null}", "application/json", HttpStatusCode.BadRequest),
            ("POST", "{\"comment\": \"a\"}", "application/json", HttpStatusCode.BadRequest),
            ("POST", "{\"texts\": [" + string.Join(",", Enumerable.Repeat("\"x\"", ScoringRequest.MaxTexts + 1)) + "]}", "application/json", HttpStatusCode.RequestEntityTooLarge),
            ("POST", "{\"text\": \"" + new string('y', ScoringRequest.MaxTextChars + 1) + "\"}", "application/json", HttpStatusCode.RequestEntityTooLarge),
            ("POST", "{\"text\": \"a\"}", "text/plain", HttpStatusCode.UnsupportedMediaType),
            ("PUT", "{\"text\": \"a\"}", "application/json", HttpStatusCode.MethodNotAllowed),
            ("DELETE", "", "application/json", HttpStatusCode.MethodNotAllowed),
        })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), "api/score") { Content = new StringContent(body, Encoding.UTF8) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
            using var refused = await _http.SendAsync(request);
            Assert.Equal(code, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);

            using var next = await _http.PostAsJsonAsync("api/score", new { text = "" });
            Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        }
    }

    [Fact]
    public async Task Health_and_the_openapi_document_are_served_and_the_document_lists_exactly_the_scoring_and_feedback_functions_routes()
    {
        var health = await _http.GetFromJsonAsync<JsonElement>("api/health");
        Assert.True(health.GetProperty("ready").GetBoolean());
        Assert.Equal(Path.GetFileName(_model), health.GetProperty("model").GetString());

        using var document = await _http.GetAsync("api/openapi.json");
        Assert.Equal("application/json", document.Content.Headers.ContentType?.MediaType);
        var openApi = JsonDocument.Parse(await document.Content.ReadAsStringAsync()).RootElement;
        Assert.StartsWith("3.", openApi.GetProperty("openapi").GetString(), StringComparison.Ordinal);

        // The document's operations are the scoring and feedback functions' attributes (what the local host maps; toxic
        // serve maps the scoring ones, having no source table to correct).
        var documented = openApi.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => $"{o.Name.ToUpperInvariant()} {p.Name}"))
            .Order().ToArray();
        var declared = typeof(ScoreComments).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == typeof(ScoreComments).Namespace || t.Namespace == typeof(ToxicFunctions.Functions.Feedback.SubmitFeedback).Namespace)
            .SelectMany(t => t.GetMethods())
            .Select(m => m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null))
            .OfType<HttpTriggerAttribute>()
            .SelectMany(a => a.Methods!.Select(method => $"{method.ToUpperInvariant()} /api/{a.Route}"))
            .Order().ToArray();
        Assert.Equal(declared, documented);
    }
}
