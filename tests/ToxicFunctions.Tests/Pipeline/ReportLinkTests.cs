using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ToxicFunctions.Pipeline;
using ToxicFunctions.Storage;
using ToxicFunctions.Tests.Infrastructure;
using ToxicFunctions.Training;

namespace ToxicFunctions.Tests.Pipeline;

/// <summary>The links on S3 (radosgw).</summary>
public sealed class ReportLinkTests(TestDatabase database) : ReportLinkCases(database, StorageProvider.S3), IClassFixture<TestDatabase>;

/// <summary>The links on a local host with <c>Storage:Provider=Blob</c>: images and reports served from Azurite.</summary>
public sealed class BlobReportLinkTests(TestDatabase database) : ReportLinkCases(database, StorageProvider.Blob), IClassFixture<TestDatabase>;

/// <summary>
/// The links ./run.sh prints, over HTTP on the local host: a registered version's curve images
/// (<c>GET /api/models/{name}/versions/{version}/plots/{roc|pr}</c>) and the newest validation report
/// (<c>GET /api/validations/latest</c>), with problem+json where there is nothing to show. On a database of its own per
/// provider (the newest report is the newest of the database).
/// </summary>
public abstract class ReportLinkCases(TestDatabase database, StorageProvider provider)
{
    private Task<RunningLocalHost> StartHostAsync() => RunningLocalHost.StartAsync(new Dictionary<string, string?>
    {
        ["Postgres:ConnectionString"] = database.ConnectionString,
        ["Postgres:MigrateOnStartup"] = "false",
        ["LocalHost:BlobTrigger:Enabled"] = "false",
        ["Storage:Provider"] = provider.ToString(),
    });

    [Fact]
    public async Task A_registered_version_serves_its_stored_roc_image_and_404s_what_it_lacks()
    {
        await using var host = await StartHostAsync();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var model = $"plots-{Guid.NewGuid():N}"[..20];

        await AssertProblemAsync(http, $"api/models/{model}/versions/1/plots/roc", HttpStatusCode.NotFound);

        // A model directory with only its ROC image, written where a pipeline run writes it.
        var store = host.Services.GetRequiredService<IArtifactStore>();
        Assert.IsType(provider == StorageProvider.Blob ? typeof(BlobArtifactStore) : typeof(S3ArtifactStore), store);
        var prefix = $"models/{model}/runs/{Guid.NewGuid()}/";
        var roc = CurvePlot.Roc([0.1, 0.4, 0.35, 0.8, 0.9, 0.2], [0, 0, 1, 1, 1, 0]);
        var file = Path.Combine(Path.GetTempPath(), $"toxic-roc-{Guid.NewGuid():N}.png");
        await File.WriteAllBytesAsync(file, roc);
        try
        {
            await store.PutFileAsync(prefix + ModelArtifact.RocFile, file, "image/png", CancellationToken.None);
        }
        finally
        {
            File.Delete(file);
        }

        var version = await RegistryRows.RegisterAsync(host.Services, database, model, store.Uri(prefix));

        using var image = await http.GetAsync($"api/models/{model}/versions/{version}/plots/roc");
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(roc, await image.Content.ReadAsByteArrayAsync());

        await AssertProblemAsync(http, $"api/models/{model}/versions/{version}/plots/pr", HttpStatusCode.NotFound);
        await AssertProblemAsync(http, $"api/models/{model}/versions/{version + 1}/plots/roc", HttpStatusCode.NotFound);
        await AssertProblemAsync(http, $"api/models/{model}/versions/{version}/plots/det", HttpStatusCode.BadRequest);
        await AssertProblemAsync(http, $"api/models/{model}/versions/0/plots/roc", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Latest_is_the_newest_stored_validation_report_in_either_format_and_by_suite()
    {
        await using var host = await StartHostAsync();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        await AssertProblemAsync(http, "api/validations/latest", HttpStatusCode.NotFound);

        var runs = new List<Guid>();
        for (var i = 0; i < 2; i++)
        {
            using var created = await http.PostAsync("api/validations", new StringContent("{\"suite\": \"staging\"}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            runs.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("run_id").GetGuid());
        }

        // A run still going has no report yet: latest stays the newest finished one.
        await database.ExecuteAsync(
            $"INSERT INTO ml.validation_runs (run_id, suite_name, suite_sha256, started_at, status, expectations) VALUES ('{Guid.CreateVersion7()}', 'staging', '{new string('0', 64)}', now(), 'running', 0)");

        var latest = await http.GetFromJsonAsync<JsonElement>("api/validations/latest");
        Assert.Equal(runs[1], latest.GetProperty("run_id").GetGuid());
        Assert.Equal("staging", latest.GetProperty("suite").GetString());
        var ofSuite = await http.GetFromJsonAsync<JsonElement>("api/validations/latest?suite=staging");
        Assert.Equal(runs[1], ofSuite.GetProperty("run_id").GetGuid());

        using var html = await http.GetAsync("api/validations/latest?format=html");
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        Assert.Contains(runs[1].ToString(), await html.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await AssertProblemAsync(http, "api/validations/latest?suite=no-such-suite", HttpStatusCode.NotFound);
        await AssertProblemAsync(http, "api/validations/latest?format=pdf", HttpStatusCode.BadRequest);
        await AssertProblemAsync(http, "api/validations/newest", HttpStatusCode.BadRequest);
    }

    /// <summary>
    /// After a pipeline run (<see cref="PipelineHttpTests"/>, whose run this reuses): the links ./run.sh prints for it
    /// serve the curves stored in the run's model directory and the report of the run's Validate step.
    /// </summary>
    internal static async Task AssertRunLinksAsync(HttpClient http, IServiceProvider services, JsonElement output)
    {
        var model = Property(output, "modelName").GetString()!;
        var version = Property(output, "version").GetInt32();
        var prefix = ModelEvaluator.PrefixOf(Property(output, "artifactUri").GetString()!);
        var store = services.GetRequiredService<IArtifactStore>();
        foreach (var (plot, file) in new[] { ("roc", ModelArtifact.RocFile), ("pr", ModelArtifact.PrecisionRecallFile) })
        {
            using var image = await http.GetAsync($"api/models/{model}/versions/{version}/plots/{plot}");
            Assert.Equal(HttpStatusCode.OK, image.StatusCode);
            Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
            var path = Path.Combine(Path.GetTempPath(), $"toxic-{plot}-{Guid.NewGuid():N}.png");
            try
            {
                await store.GetFileAsync(prefix + file, path, CancellationToken.None);
                Assert.Equal(await File.ReadAllBytesAsync(path), await image.Content.ReadAsByteArrayAsync());
            }
            finally
            {
                File.Delete(path);
            }
        }

        var report = await http.GetFromJsonAsync<JsonElement>("api/validations/latest");
        Assert.Equal("staging", report.GetProperty("suite").GetString());
        Assert.NotEqual("failed", report.GetProperty("status").GetString());
    }

    /// <summary>A property of a Durable output, whose names may be camelCase or PascalCase.</summary>
    private static JsonElement Property(JsonElement element, string name) =>
        element.EnumerateObject().First(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static async Task AssertProblemAsync(HttpClient http, string path, HttpStatusCode status)
    {
        using var response = await http.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
