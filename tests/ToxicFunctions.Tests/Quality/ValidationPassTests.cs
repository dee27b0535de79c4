using System.Text;
using System.Text.Json;
using ToxicFunctions.Ingestion;
using ToxicFunctions.Quality;
using ToxicFunctions.Storage;
using ToxicFunctions.Tests.Infrastructure;
using static ToxicFunctions.Tests.Infrastructure.StagingRows;

namespace ToxicFunctions.Tests.Quality;

/// <summary>
/// The staging suite on clean data: the sample comments (the real ones where found, else the generated fixture: see
/// <see cref="SampleData"/>) ingested as the triggers do, plus stream rows.
/// </summary>
public sealed class ValidationPassTests(ValidationPassTests.Fixture fixture) : IClassFixture<ValidationPassTests.Fixture>
{
    /// <summary>Staging loaded once for the class.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public TestDatabase Database { get; } = new();

        public long Rows { get; private set; }

        public async Task InitializeAsync()
        {
            await Database.InitializeAsync();
            var file = new FileInfo(SampleData.File.Path);
            await using (var obj = new RawObject(new ObjectRef("file", "sample", file.Name, "v1", file.Length), file.OpenRead()))
            {
                Rows = (await Database.Get<BatchIngestService>().IngestAsync(obj)).RowsLoaded;
            }

            await PutStreamAsync(Database, Guid.NewGuid(), "a streamed comment", 0, "0/10");
            await PutStreamAsync(Database, Guid.NewGuid(), "another streamed comment", 1, "0/20");
            await PutStreamAsync(Database, Guid.NewGuid(), null, 0, "0/30");
            Rows += 2;
        }

        public Task DisposeAsync() => Database.DisposeAsync();
    }

    private ValidationService Service => fixture.Database.Get<ValidationService>();

    [Fact]
    public async Task Clean_staging_passes_every_expectation()
    {
        var report = await Service.RunAsync(SuiteLoader.LoadEmbedded("staging"));

        Assert.All(report.Results, r => Assert.True(r.Passed, $"{r.Id}: {r.Detail}"));
        Assert.Equal(ValidationStatus.Passed, report.Status);
        Assert.Equal(fixture.Rows, Assert.Single(report.Results, r => r.Id == "row_count").ObservedValue);
        Assert.All(report.Results, r => Assert.Empty(r.SampleKeys));
        DataQualityGateException.ThrowIfFailed(report);

        var json = await Service.GetReportAsync(report.RunId, ReportFormat.Json);
        using var stored = JsonDocument.Parse(json!);
        Assert.Equal(report.RunId, stored.RootElement.GetProperty("run_id").GetGuid());
        Assert.Equal("passed", stored.RootElement.GetProperty("status").GetString());
        Assert.Equal(report.Results.Count, stored.RootElement.GetProperty("results").GetArrayLength());
        Assert.Equal("passed", await fixture.Database.ScalarAsync<string>("SELECT status FROM ml.validation_runs WHERE run_id = @id", ("id", report.RunId)));
    }

    [Fact]
    public async Task A_failing_warning_is_reported_and_does_not_stop_the_pipeline()
    {
        var json = """
            { "name": "warnings", "table": "staging.all_comments", "key": "record_key", "expectations": [
              { "id": "labels_accepted", "type": "accepted_values", "column": "labels", "values": [0, 1] },
              { "id": "mostly_toxic", "type": "value_ratio", "column": "labels", "value": 1, "min": 0.9, "severity": "warn" },
              { "id": "tiny", "type": "row_count", "max": 10, "severity": "warn" },
              { "id": "from_the_future", "type": "freshness", "column": "ingested_at", "max_age": "PT0.001S", "severity": "warn" } ] }
            """;

        var report = await Service.RunAsync(SuiteLoader.Parse(Encoding.UTF8.GetBytes(json), "test"));

        Assert.Equal(ValidationStatus.Warned, report.Status);
        Assert.Equal(["from_the_future", "mostly_toxic", "tiny"], report.Results.Where(r => !r.Passed).Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.Equal(3, report.FailedWarnings);
        DataQualityGateException.ThrowIfFailed(report);
    }

    [Fact]
    public async Task An_unknown_run_has_no_report()
    {
        Assert.Null(await Service.GetReportAsync(Guid.NewGuid(), ReportFormat.Json));
    }
}
