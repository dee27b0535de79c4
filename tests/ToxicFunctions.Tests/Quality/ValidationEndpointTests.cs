using System.Net;
using System.Text;
using System.Text.Json;
using ToxicFunctions.Orchestrations.Activities;
using ToxicFunctions.Quality;
using ToxicFunctions.Tests.Infrastructure;
using static ToxicFunctions.Tests.Infrastructure.StagingRows;

namespace ToxicFunctions.Tests.Quality;

/// <summary>
/// The ways a validation is started: the HTTP endpoints on the local host, the Validate and Transform activities
/// (called directly, as the Functions host calls them), and <c>toxic validate</c>. Staging holds one bad row
/// (label 2) next to good ones, so the gate closes wherever it is asked.
/// </summary>
public sealed class ValidationEndpointTests(ValidationEndpointTests.Fixture fixture) : IClassFixture<ValidationEndpointTests.Fixture>
{
    /// <summary>Staging with one error-level failure, written once for the class.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public TestDatabase Database { get; } = new();

        public long Load { get; private set; }

        public async Task InitializeAsync()
        {
            await Database.InitializeAsync();
            Load = await AddLoadAsync(Database);
            for (var line = 1; line <= 9; line++)
            {
                await AddBatchAsync(Database, Load, line, Guid.CreateVersion7(), $"comment {line}", (short)(line % 3 == 0 ? 1 : 0), Tokens(3));
            }

            await AddBatchAsync(Database, Load, 10, Guid.CreateVersion7(), "label two", 2, Tokens(3));
        }

        public Task DisposeAsync() => Database.DisposeAsync();
    }

    private TestDatabase Database => fixture.Database;

    private Task<RunningLocalHost> StartHostAsync() => RunningLocalHost.StartAsync(new Dictionary<string, string?>
    {
        ["Postgres:ConnectionString"] = Database.ConnectionString,
        ["Postgres:MigrateOnStartup"] = "false",
        ["LocalHost:BlobTrigger:Enabled"] = "false",
    });

    [Fact]
    public async Task Post_runs_the_suite_and_get_returns_its_stored_reports()
    {
        await using var host = await StartHostAsync();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var created = await http.PostAsync("api/validations", new StringContent("{\"suite\": \"staging\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var summary = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var runId = summary.RootElement.GetProperty("run_id").GetGuid();
        Assert.Equal("failed", summary.RootElement.GetProperty("status").GetString());
        Assert.Equal($"/api/validations/{runId}", created.Headers.Location?.OriginalString);
        Assert.Equal($"s3://reports/validations/{runId}/index.html", summary.RootElement.GetProperty("report_html_uri").GetString());

        using var json = await http.GetAsync($"api/validations/{runId}");
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        using var report = JsonDocument.Parse(await json.Content.ReadAsStringAsync());
        var labels = report.RootElement.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "labels_accepted");
        Assert.False(labels.GetProperty("passed").GetBoolean());
        Assert.Equal([$"batch:{fixture.Load}:10"], labels.GetProperty("sample_keys").EnumerateArray().Select(k => k.GetString()));

        using var html = await http.GetAsync($"api/validations/{runId}?format=html");
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        Assert.Contains("labels_accepted", await html.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("post", "api/validations", "not json", HttpStatusCode.BadRequest)]
    [InlineData("post", "api/validations", "{\"suite\": \"../../etc/passwd\"}", HttpStatusCode.BadRequest)]
    [InlineData("post", "api/validations", "{\"suite\": 3}", HttpStatusCode.BadRequest)]
    [InlineData("get", "api/validations/not-a-uuid", null, HttpStatusCode.BadRequest)]
    [InlineData("get", "api/validations/0197a0b4-0000-7000-8000-000000000000?format=pdf", null, HttpStatusCode.BadRequest)]
    [InlineData("get", "api/validations/0197a0b4-0000-7000-8000-000000000000", null, HttpStatusCode.NotFound)]
    public async Task Bad_requests_get_problem_details(string method, string path, string? body, HttpStatusCode status)
    {
        await using var host = await StartHostAsync();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var response = method == "post"
            ? await http.PostAsync(path, new StringContent(body!, Encoding.UTF8, "application/json"))
            : await http.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_Validate_activity_stops_the_pipeline_on_an_error_level_failure()
    {
        var activity = new Validate(Database.Get<ValidationService>());

        var error = await Assert.ThrowsAsync<DataQualityGateException>(() => activity.RunAsync(new ValidateRequest(), CancellationToken.None));

        Assert.Contains("labels_accepted", error.Message, StringComparison.Ordinal);
        Assert.Contains("s3://reports/validations/", error.Message, StringComparison.Ordinal);
        var runId = Guid.Parse(error.Message.Split("(run ")[1][..36]);
        Assert.Equal("failed", await Database.ScalarAsync<string>("SELECT status FROM ml.validation_runs WHERE run_id = @id", ("id", runId)));
        Assert.Equal([$"batch:{fixture.Load}:10"], await Database.ScalarAsync<string[]>(
            "SELECT sample_keys FROM ml.validation_results WHERE run_id = @id AND expectation_id = 'labels_accepted' AND NOT passed", ("id", runId)));
    }

    [Fact]
    public async Task The_Transform_activity_publishes_the_clean_rows()
    {
        var activity = new Orchestrations.Activities.Transform(Database.Get<ToxicFunctions.Transform.TransformService>());

        var result = await activity.RunAsync(new TransformRequest("test"), CancellationToken.None);

        Assert.Equal(9, result.Rows("batch_comments"));
        Assert.Equal(9, await Database.ScalarAsync<long>("SELECT count(*) FROM production.comments WHERE load_id = @id", ("id", fixture.Load)));
    }

    [Fact]
    public async Task Toxic_validate_prints_the_table_and_exits_1_on_an_error_level_failure()
    {
        var (exitCode, output) = await RunToxicAsync("validate");

        Assert.Equal(1, exitCode);
        Assert.Matches(@"FAIL\s+error\s+labels_accepted\s+1\s+1 of 10 rows have a value outside \[0, 1\]", output);
        Assert.Matches(@"pass\s+error\s+id_unique\s+0", output);
        Assert.Contains("suite staging: failed", output, StringComparison.Ordinal);

        var suite = Path.Combine(Path.GetTempPath(), $"toxic-suite-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(suite, """
            { "name": "rows", "table": "staging.all_comments", "key": "record_key",
              "expectations": [ { "id": "enough", "type": "row_count", "min": 1 }, { "id": "huge", "type": "row_count", "min": 1000, "severity": "warn" } ] }
            """);
        try
        {
            var (passExit, passOutput) = await RunToxicAsync("validate", "--suite", suite);
            Assert.Equal(0, passExit);
            Assert.Matches(@"warn\s+warn\s+huge", passOutput);
            Assert.Contains("suite rows: warned", passOutput, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(suite);
        }

        var (badExit, _) = await RunToxicAsync("validate", "--suite", "/nonexistent/suite.json");
        Assert.Equal(2, badExit);
    }

    private async Task<(int ExitCode, string Output)> RunToxicAsync(params string[] args)
    {
        var (exitCode, output, errors) = await ToxicCli.RunAsync(
            args, environment: new Dictionary<string, string> { ["Postgres__ConnectionString"] = Database.ConnectionString });
        return (exitCode, output + errors);
    }
}
