using System.Diagnostics;
using System.Globalization;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using ToxicFunctions.Storage;
using ToxicFunctions.Tests.Infrastructure;
using ToxicFunctions.Tests.Streaming;

namespace ToxicFunctions.Tests.Telemetry;

/// <summary>
/// Traces and logs as an OpenTelemetry exporter receives them from the local host (an in-memory exporter added to the
/// host's own tracer and logger providers), over the real services. (A pipeline run's trace: PipelineHttpTests.)
/// </summary>
public sealed class TraceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task One_trace_covers_a_csv_from_the_s3_notification_to_its_copy_into_staging_and_its_logs_carry_the_ids()
    {
        var telemetry = new InMemoryTelemetry();
        await using var host = await RunningLocalHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["Postgres:ConnectionString"] = database.ConnectionString,
                ["Postgres:MigrateOnStartup"] = "false",
                ["LocalHost:BlobTrigger:Enabled"] = "false",
                [InMemoryTelemetry.Setting.Key] = InMemoryTelemetry.Setting.Value,
            },
            telemetry.AddTo);
        var bucket = $"trace-{Guid.NewGuid():N}"[..20];
        await database.Get<S3RawObjects>().EnsureBucketAsync(bucket, default);
        await database.Get<S3NotificationSetup>().ConfigureAsync(bucket, $"topic-{bucket}", new Uri(host.BaseAddress, "api/s3/events"), default);

        // radosgw pushes the notification to the host, as in production.
        var csv = "comment_text,labels\n" + string.Concat(Enumerable.Range(0, 500).Select(i => $"\"traced comment {i}\",{i % 2}\n")) + "\"unterminated,1\n";
        await database.Get<IAmazonS3>().PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "traced.csv", ContentBody = csv });

        var ingest = await telemetry.WaitForSpanAsync(s => s.OperationName == "ingest" && (string?)s.GetTagItem("toxic.object.container") == bucket, s_timeout);
        Assert.Equal("Loaded", ingest.GetTagItem("toxic.load.outcome"));
        Assert.Equal(500L, ingest.GetTagItem("toxic.load.rows"));
        Assert.Equal(1L, ingest.GetTagItem("toxic.load.rejected"));

        // The request's span ends after the response is written, which can be after the ingest span has ended.
        await telemetry.WaitForSpanAsync(s => s.TraceId == ingest.TraceId && s.Kind == ActivityKind.Server, s_timeout);
        var trace = telemetry.Spans.Where(s => s.TraceId == ingest.TraceId).ToList();
        var request = Assert.Single(trace, s => s.Kind == ActivityKind.Server);
        Assert.Equal("/api/s3/events", request.GetTagItem("url.path"));
        Assert.Equal(request.SpanId, ingest.ParentSpanId);
        var copy = Assert.Single(trace, s => s.OperationName == "COPY staging.comments");
        Assert.Equal(ingest.SpanId, copy.ParentSpanId);
        Assert.Equal(500L, copy.GetTagItem("db.response.returned_rows"));
        Assert.Contains(trace, s => s.Kind == ActivityKind.Client && s.ParentSpanId == request.SpanId && s.DisplayName == "GET"); // the object opened on S3

        // The load's log line (and the lake append's) belong to the ingest span.
        var lines = telemetry.Logs.Where(l => l.CategoryName == "ToxicFunctions.Ingestion.BatchIngestService" && l.TraceId == ingest.TraceId && l.LogLevel == LogLevel.Information).ToList();
        var loaded = Assert.Single(lines, l => l.Attributes!.Any(a => a.Key == "LoadId"));
        var appended = Assert.Single(lines, l => l.Attributes!.Any(a => a.Key == "Table"));
        Assert.Equal(ingest.SpanId, appended.SpanId);
        Assert.Equal(ingest.SpanId, loaded.SpanId);
        Assert.Contains(loaded.Attributes!, a => a.Key == "Rows" && Equals(a.Value, 500L));
    }

    [Fact]
    public async Task A_stream_batch_links_the_relay_span_of_each_source_transaction_it_applies()
    {
        var telemetry = new InMemoryTelemetry();
        var scenario = new StreamScenario(database);
        await using var host = await scenario.StartAsync(
            extra: new Dictionary<string, string?> { [InMemoryTelemetry.Setting.Key] = InMemoryTelemetry.Setting.Value },
            configure: telemetry.AddTo);

        for (var i = 0; i < 3; i++)
        {
            await scenario.InsertAsync(20, offset: i * 20); // three source transactions
        }

        await scenario.AssertStagingEqualsSourceAsync();

        // Spans end after the work they cover is visible: wait until the batches that applied all 60 changes, and the
        // invocations around them, have ended.
        bool Ended()
        {
            var applied = telemetry.Spans.Where(s => s.OperationName == "stream batch" && (string?)s.GetTagItem("messaging.destination.name") == scenario.Topic).ToList();
            var ended = telemetry.Spans.Where(s => s.OperationName == "function StreamCommentChanges").Select(s => s.SpanId).ToHashSet();
            return applied.Sum(b => Convert.ToInt64(b.GetTagItem("toxic.stream.applied"), CultureInfo.InvariantCulture)) >= 60 && applied.All(b => ended.Contains(b.ParentSpanId));
        }

        for (var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10); !Ended() && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(20);
        }

        var relayed = telemetry.Spans.Where(s => s.OperationName == "relay transaction" && (string?)s.GetTagItem("toxic.source.slot") == $"slot_{scenario.Topic.Split('.')[0]}").ToList();
        Assert.True(relayed.Count >= 3, $"{relayed.Count} relay transaction spans");
        var batches = telemetry.Spans.Where(s => s.OperationName == "stream batch" && (string?)s.GetTagItem("messaging.destination.name") == scenario.Topic).ToList();
        Assert.NotEmpty(batches);
        var linked = batches.SelectMany(b => b.Links).Select(l => l.Context.SpanId).ToHashSet();
        Assert.All(relayed.TakeLast(3), r => Assert.Contains(r.SpanId, linked));
        Assert.Equal(60L, batches.Sum(b => Convert.ToInt64(b.GetTagItem("toxic.stream.applied"), CultureInfo.InvariantCulture)));

        // Each batch runs inside the Kafka trigger's invocation span.
        var invocations = telemetry.Spans.Where(s => s.OperationName == "function StreamCommentChanges").Select(s => s.SpanId).ToHashSet();
        Assert.All(batches, b => Assert.Contains(b.ParentSpanId, invocations));
    }
}
