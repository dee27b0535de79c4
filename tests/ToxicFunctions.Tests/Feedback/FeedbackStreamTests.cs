using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ToxicFunctions.Storage;
using ToxicFunctions.Tests.Infrastructure;
using ToxicFunctions.Tests.Pipeline;
using ToxicFunctions.Tests.Streaming;

namespace ToxicFunctions.Tests.Feedback;

/// <summary>
/// The feedback loop end to end over real HTTP (the acceptance of issue 12, part 6): corrections sent to
/// <c>POST /api/feedback</c> (a new comment and a correction of an existing one) flow source.comments -> relay -> Kafka
/// -> staging.stream_comments -> production.comments, and the next training run records how many it used.
/// </summary>
public sealed class FeedbackStreamTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_correction_reaches_staging_through_the_stream_and_is_counted_by_the_next_run()
    {
        var bucket = $"test-fb-{Guid.NewGuid():N}"[..24];
        await database.Get<S3RawObjects>().EnsureBucketAsync(bucket, default);
        await PipelineHarness.IngestSampleAsync(database);
        var scenario = new StreamScenario(database);

        // A comment the application wrote (not feedback), there before the relay: it arrives through the snapshot.
        Guid appComment;
        await using (var insert = database.DataSource.CreateCommand(
            "INSERT INTO source.comments (comment_text, labels) VALUES ('nobody reads your edits, genius', 0) RETURNING id"))
        {
            appComment = (Guid)(await insert.ExecuteScalarAsync())!;
        }

        await using var host = await scenario.StartAsync(extra: new Dictionary<string, string?>
        {
            ["Pipeline:ArtifactsBucket"] = bucket,
            ["S3:ReportsBucket"] = bucket,
        });
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var inserted = await http.PostAsJsonAsync("api/feedback", new { text = "what a moronic, worthless take", label = 1 });
        Assert.Equal(HttpStatusCode.Created, inserted.StatusCode);
        var newComment = (await inserted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var corrected = await http.PostAsJsonAsync("api/feedback", new { id = appComment, text = "nobody reads your edits, genius", label = 1 });
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);

        // Staging equals the source, flag included: the insert and the update came through relay, Kafka and consumer.
        await scenario.AssertStagingEqualsSourceAsync();
        Assert.Equal(2, await scenario.CountAsync(
            $"SELECT count(*) FROM staging.stream_comments WHERE feedback AND labels = 1 AND NOT deleted AND source_id IN ('{newComment}', '{appComment}')"));
        Assert.Equal(1, await scenario.CountAsync($"SELECT count(*) FROM staging.stream_comments WHERE source_id = '{appComment}' AND op = 'u'"));

        using var start = await http.PostAsync("api/pipelines/training", null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var statusUri = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusQueryGetUri").GetString()!;
        var status = await PipelineStatus.WaitForEndAsync(http, statusUri);

        Assert.True(status.GetProperty("runtimeStatus").GetString() == "Completed", status.GetRawText());
        // The custom status is serialized by the Durable data converter (property names as declared).
        var feedbackRows = status.GetProperty("customStatus").EnumerateObject()
            .SingleOrDefault(p => p.Name.Equals(nameof(Orchestrations.PipelineProgress.FeedbackRows), StringComparison.OrdinalIgnoreCase));
        Assert.True(feedbackRows.Value.ValueKind == JsonValueKind.Number, status.GetRawText());
        Assert.Equal(2, feedbackRows.Value.GetInt32());
        Assert.Equal(2, await scenario.CountAsync("SELECT count(*) FROM production.comments WHERE feedback AND labels = 1 AND origin = 'stream'"));

        var runs = await http.GetFromJsonAsync<JsonElement>("api/runs");
        var run = runs.EnumerateArray().Single();
        Assert.Equal("finished", run.GetProperty("status").GetString());
        Assert.Equal(2, run.GetProperty("feedbackRows").GetInt32());
    }
}
