using System.Text.Json;
using Amazon.S3;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using ToxicFunctions.Pipeline;
using ToxicFunctions.Quality;
using ToxicFunctions.Storage;
using ToxicFunctions.Tests.Infrastructure;
using static ToxicFunctions.Tests.Infrastructure.StagingRows;

namespace ToxicFunctions.Tests.Quality;

/// <summary>
/// The staging suite on a fixture with nulls, a label 2, a duplicate id, a token array without [SEP] and a 600-token
/// array: exactly those expectations fail, with their counts and sample keys. staging.comments declares its columns
/// NOT NULL; the fixture relaxes that in its own database, because the not_null expectations exist for data that the
/// schema does not guard. The cases that store a report run on both stores of <c>Storage:Provider</c> (radosgw and Azurite).
/// </summary>
public sealed class ValidationFailureTests(ValidationFailureTests.Fixture fixture) : IClassFixture<ValidationFailureTests.Fixture>
{
    private readonly TestDatabase database = fixture.Database;

    /// <summary>The fixture's database, written once for the class.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public TestDatabase Database { get; } = new();

        public long Load { get; private set; }

        public async Task InitializeAsync()
        {
            await Database.InitializeAsync();
            var database = Database;
            await ExecuteAsync(database, "ALTER TABLE staging.comments ALTER COLUMN comment_text DROP NOT NULL, ALTER COLUMN labels DROP NOT NULL");
            Load = await AddLoadAsync(database);
            var duplicated = Guid.CreateVersion7();
            for (var line = 1; line <= 8; line++)
            {
                await AddBatchAsync(database, Load, line, line == 1 ? duplicated : Guid.CreateVersion7(), $"fine comment {line}", (short)(line % 4 == 0 ? 1 : 0), Tokens(2 + line));
            }

            await AddBatchAsync(database, Load, 9, Guid.CreateVersion7(), null, 0, Tokens(4));
            await AddBatchAsync(database, Load, 10, Guid.CreateVersion7(), "no label", null, Tokens(4));
            await AddBatchAsync(database, Load, 11, Guid.CreateVersion7(), "label two", 2, Tokens(4));
            await AddBatchAsync(database, Load, 12, duplicated, "same id as line 1", 0, Tokens(5));
            await AddBatchAsync(database, Load, 13, Guid.CreateVersion7(), "no sep", 0, [101, 2000, 2001]);
            await AddBatchAsync(database, Load, 14, Guid.CreateVersion7(), "too long", 1, Tokens(600));

            // Stream rows: a live one (checked) and a tombstone (a deletion, not a comment: not checked).
            await PutStreamAsync(database, Guid.NewGuid(), "streamed comment", 0, "0/100");
            await PutStreamAsync(database, Guid.NewGuid(), null, 0, "0/200");

            // Rows of a load that is still loading are not staging data yet.
            var loading = await AddLoadAsync(database, "loading");
            await AddBatchAsync(database, loading, 1, Guid.CreateVersion7(), "half loaded", 7, Tokens(3));
        }

        public Task DisposeAsync() => Database.DisposeAsync();
    }

    private string Key(int line) => $"batch:{fixture.Load}:{line}";

    [Fact]
    public async Task Exactly_the_broken_expectations_fail_with_counts_and_sample_keys()
    {
        var service = database.Get<ValidationService>();

        var report = await service.RunAsync(SuiteLoader.LoadEmbedded("staging"));

        Assert.Equal(ValidationStatus.Failed, report.Status);
        Assert.Equal(15, Assert.Single(report.Results, r => r.Id == "row_count").ObservedValue);
        var failed = report.Results.Where(r => !r.Passed).ToDictionary(r => r.Id);
        Assert.Equal(
            ["comment_text_not_null", "id_unique", "input_ids_well_formed", "labels_accepted", "labels_not_null"],
            failed.Keys.Order(StringComparer.Ordinal));
        Assert.All(failed.Values, r => Assert.Equal(Severity.Error, r.Severity));
        Assert.All(report.Results, r => Assert.Equal(15, r.RowsChecked));

        Assert.Equal(1, failed["comment_text_not_null"].FailingCount);
        Assert.Equal([Key(9)], failed["comment_text_not_null"].SampleKeys);
        Assert.Equal(1, failed["labels_not_null"].FailingCount);
        Assert.Equal([Key(10)], failed["labels_not_null"].SampleKeys);
        Assert.Equal(1, failed["labels_accepted"].FailingCount);
        Assert.Equal([Key(11)], failed["labels_accepted"].SampleKeys);
        Assert.Equal(2, failed["id_unique"].FailingCount);
        Assert.Equal([Key(1), Key(12)], failed["id_unique"].SampleKeys);
        Assert.Equal(2, failed["input_ids_well_formed"].FailingCount);
        Assert.Equal([Key(13), Key(14)], failed["input_ids_well_formed"].SampleKeys);
        Assert.Equal(5, report.FailedErrors);
        Assert.Equal(0, report.FailedWarnings);
    }

    [Theory]
    [InlineData(StorageProvider.S3)]
    [InlineData(StorageProvider.Blob)]
    public async Task Results_are_stored_in_ml_and_the_gate_stops_with_the_failures_and_the_report(StorageProvider provider)
    {
        await using var services = Services(provider);
        var service = services.GetRequiredService<ValidationService>();
        var report = await service.RunAsync(SuiteLoader.LoadEmbedded("staging"));

        Assert.Equal("failed", await database.ScalarAsync<string>("SELECT status FROM ml.validation_runs WHERE run_id = @id", ("id", report.RunId)));
        Assert.Equal(report.Results.Count, (int)await database.ScalarAsync<long>("SELECT count(*) FROM ml.validation_results WHERE run_id = @id", ("id", report.RunId)));
        Assert.Equal(
            [Key(13), Key(14)],
            await database.ScalarAsync<string[]>(
                "SELECT sample_keys FROM ml.validation_results WHERE run_id = @id AND expectation_id = 'input_ids_well_formed'", ("id", report.RunId)));
        Assert.Equal(2, await database.ScalarAsync<long>(
            "SELECT failing_count FROM ml.validation_results WHERE run_id = @id AND expectation_id = 'id_unique' AND NOT passed", ("id", report.RunId)));

        var gate = Assert.Throws<DataQualityGateException>(() => DataQualityGateException.ThrowIfFailed(report));
        Assert.Contains("labels_accepted (1 of 15 rows have a value outside [0, 1])", gate.Message, StringComparison.Ordinal);
        Assert.Contains(report.ReportHtmlUri, gate.Message, StringComparison.Ordinal);

        var html = await service.GetReportAsync(report.RunId, ReportFormat.Html);
        Assert.NotNull(html);
        Assert.Contains("FAILED", html, StringComparison.Ordinal);
        Assert.Contains(Key(11), html, StringComparison.Ordinal);

        // The reports lie in bucket (container) "reports" of the configured store, at the addresses the report gives.
        Assert.Equal(("reports", $"validations/{report.RunId}/index.html"), ArtifactAddress.Parse(report.ReportHtmlUri));
        Assert.Equal(("reports", $"validations/{report.RunId}/report.json"), ArtifactAddress.Parse(report.ReportJsonUri));
        Assert.StartsWith(provider == StorageProvider.Blob ? "http://127.0.0.1:10000/" : "s3://", report.ReportHtmlUri, StringComparison.Ordinal);
        var stored = await services.GetRequiredService<ValidationReportStore>().GetAsync(report.RunId, ReportFormat.Json, CancellationToken.None);
        Assert.NotNull(stored);
        using var json = JsonDocument.Parse(stored);
        Assert.Equal(report.RunId, json.RootElement.GetProperty("run_id").GetGuid());
        Assert.Equal(report.ReportHtmlUri, json.RootElement.GetProperty("report_html_uri").GetString());
        Assert.Equal(5, json.RootElement.GetProperty("failed_errors").GetInt32());
    }

    [Theory]
    [InlineData(StorageProvider.S3)]
    [InlineData(StorageProvider.Blob)]
    public async Task A_run_whose_report_cannot_be_stored_is_recorded_as_an_error_not_left_running(StorageProvider provider)
    {
        // Fault injection: the object store refuses every write.
        var (store, refusal) = RefusingStore(provider);
        var service = new ValidationService(
            database.DataSource,
            database.Get<ValidationResultStore>(),
            new ValidationReportStore(store),
            TimeProvider.System,
            database.Get<ToxicFunctions.Telemetry.ToxicMetrics>(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ValidationService>.Instance);
        var name = $"unstored-{provider}";
        var suite = SuiteLoader.Parse(System.Text.Encoding.UTF8.GetBytes(
            $$"""{ "name": "{{name}}", "table": "staging.loads", "key": "load_id", "expectations": [ { "id": "a", "type": "row_count", "min": 1 } ] }"""), "test");

        await Assert.ThrowsAsync(refusal, () => service.RunAsync(suite));

        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM ml.validation_runs WHERE suite_name = @name AND status = 'running'", ("name", name)));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM ml.validation_runs WHERE suite_name = @name AND status = 'error'", ("name", name)));
    }

    [Fact]
    public async Task Names_that_are_not_in_the_catalog_are_refused_before_any_query()
    {
        var service = database.Get<ValidationService>();
        string[] suites =
        [
            """{ "name": "x", "table": "staging.all_comments", "key": "record_key", "expectations": [ { "id": "a", "type": "not_null", "column": "labels IS NULL OR true; DROP TABLE staging.loads; --" } ] }""",
            """{ "name": "x", "table": "staging.loads; DROP TABLE staging.loads", "key": "load_id", "expectations": [ { "id": "a", "type": "row_count", "min": 1 } ] }""",
            """{ "name": "x", "table": "staging.no_such_table", "key": "id", "expectations": [ { "id": "a", "type": "row_count", "min": 1 } ] }""",
            """{ "name": "x", "table": "staging.all_comments", "key": "record_key", "expectations": [ { "id": "a", "type": "token_array", "column": "labels" } ] }""",
        ];

        foreach (var json in suites)
        {
            var suite = SuiteLoader.Parse(System.Text.Encoding.UTF8.GetBytes(json), "test");
            await Assert.ThrowsAsync<SuiteDefinitionException>(() => service.RunAsync(suite));
        }

        Assert.Equal(2, await database.ScalarAsync<long>("SELECT count(*) FROM staging.loads"));
        Assert.Equal(suites.Length, (int)await database.ScalarAsync<long>("SELECT count(*) FROM ml.validation_runs WHERE status = 'error' AND suite_name = 'x'"));
    }

    [Fact]
    public async Task Suite_values_are_parameters_not_sql()
    {
        var json = """
            { "name": "p", "table": "staging.all_comments", "key": "record_key", "expectations": [
              { "id": "text", "type": "accepted_values", "column": "comment_text", "values": ["fine comment 1", "x'); DROP TABLE staging.loads; --"] },
              { "id": "regex", "type": "regex", "column": "comment_text", "pattern": "^fine comment [0-9]$' OR true; --" } ] }
            """;

        var report = await database.Get<ValidationService>().RunAsync(SuiteLoader.Parse(System.Text.Encoding.UTF8.GetBytes(json), "test"));

        Assert.Equal(13, Assert.Single(report.Results, r => r.Id == "text").FailingCount);
        Assert.Equal(14, Assert.Single(report.Results, r => r.Id == "regex").FailingCount);
        Assert.Equal(2, await database.ScalarAsync<long>("SELECT count(*) FROM staging.loads"));
    }

    /// <summary>The fixture's database with <c>Storage:Provider</c> <paramref name="provider"/>.</summary>
    private ServiceProvider Services(StorageProvider provider) =>
        database.CreateServices(new Dictionary<string, string?> { ["Storage:Provider"] = provider.ToString() });

    /// <summary>A reports store of <paramref name="provider"/> whose every write fails, and the exception its client throws.</summary>
    private static (IArtifactStore Store, Type Refusal) RefusingStore(StorageProvider provider)
    {
        if (provider == StorageProvider.S3)
        {
            var s3 = new Mock<IAmazonS3>();
            s3.Setup(c => c.PutObjectAsync(It.IsAny<Amazon.S3.Model.PutObjectRequest>(), It.IsAny<CancellationToken>()))
                .ThrowsAsync(new AmazonS3Exception("service unavailable") { StatusCode = System.Net.HttpStatusCode.ServiceUnavailable });
            return (new S3ArtifactStore(s3.Object, "reports"), typeof(AmazonS3Exception));
        }

        // A real client of Azurite, but every upload fails in its pipeline before it is sent.
        var options = new BlobClientOptions { Retry = { MaxRetries = 0 } };
        options.AddPolicy(new RefuseUploads(), HttpPipelinePosition.PerCall);
        var blob = new BlobServiceClient(TestSettings.Configuration[ToxicServiceCollectionExtensions.RawStorageSetting], options);
        return (new BlobArtifactStore(blob, "reports"), typeof(RequestFailedException));
    }

    private sealed class RefuseUploads : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            if (message.Request.Method == RequestMethod.Put)
            {
                throw new RequestFailedException(503, "service unavailable");
            }
        }
    }
}
