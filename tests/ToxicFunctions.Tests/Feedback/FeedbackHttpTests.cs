using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ToxicFunctions.Feedback;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Feedback;

/// <summary>
/// <c>POST /api/feedback</c> on the local host over real HTTP: every kind of bad request gets its 4xx as problem+json
/// and the next good one is written (<see cref="FeedbackStreamTests"/> follows a correction to the next run).
/// </summary>
public sealed class FeedbackHttpTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Each_bad_request_gets_its_code_as_problem_json_and_the_next_good_one_is_written()
    {
        await using var host = await RunningLocalHost.StartAsync(new Dictionary<string, string?>
        {
            ["Postgres:ConnectionString"] = database.ConnectionString,
            ["Postgres:MigrateOnStartup"] = "false",
            ["LocalHost:BlobTrigger:Enabled"] = "false",
        });
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var missing = Guid.NewGuid();
        var cases = new (string Body, string ContentType, string Method, HttpStatusCode Code)[]
        {
            ("{\"text\": ", "application/json", "POST", HttpStatusCode.BadRequest),
            ("{\"text\": 5, \"label\": 1}", "application/json", "POST", HttpStatusCode.BadRequest),
            ("{\"text\": null, \"label\": 1}", "application/json", "POST", HttpStatusCode.BadRequest),
            ("{\"label\": 1}", "application/json", "POST", HttpStatusCode.BadRequest),
            ("{\"text\": \"a\", \"label\": null}", "application/json", "POST", HttpStatusCode.BadRequest),
            ("{\"text\": \"a\"}", "application/json", "POST", HttpStatusCode.BadRequest),
            ("{\"text\": \"a\", \"label\": 2}", "application/json", "POST", HttpStatusCode.BadRequest),
            ("{\"text\": \"a\", \"label\": \"1\"}", "application/json", "POST", HttpStatusCode.BadRequest),
            ("{\"text\": \"a\", \"label\": 1, \"id\": \"not-a-uuid\"}", "application/json", "POST", HttpStatusCode.BadRequest),
            ("{\"text\": \"a\\u0000\", \"label\": 1}", "application/json", "POST", HttpStatusCode.BadRequest),
            ($"{{\"text\": \"a\", \"label\": 1, \"id\": \"{missing}\"}}", "application/json", "POST", HttpStatusCode.NotFound),
            ($"{{\"text\": \"{new string('y', FeedbackRequest.MaxTextChars + 1)}\", \"label\": 1}}", "application/json", "POST", HttpStatusCode.RequestEntityTooLarge),
            ($"{{\"text\": \"a\", \"label\": 1{new string(' ', FeedbackRequest.MaxBodyBytes)}}}", "application/json", "POST", HttpStatusCode.RequestEntityTooLarge),
            ("text=a&label=1", "application/x-www-form-urlencoded", "POST", HttpStatusCode.UnsupportedMediaType),
            ("{\"text\": \"a\", \"label\": 1}", "text/plain", "POST", HttpStatusCode.UnsupportedMediaType),
            ("", "application/json", "GET", HttpStatusCode.MethodNotAllowed),
            ("{\"text\": \"a\", \"label\": 1}", "application/json", "PUT", HttpStatusCode.MethodNotAllowed),
        };
        var written = new List<Guid>();
        foreach (var (body, contentType, method, code) in cases)
        {
            using var message = new HttpRequestMessage(new HttpMethod(method), "api/feedback");
            if (method != "GET")
            {
                message.Content = new StringContent(body, Encoding.UTF8);
                message.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            }

            using var refused = await http.SendAsync(message);
            Assert.True(code == refused.StatusCode, $"{method} {(body.Length > 80 ? body[..80] + "..." : body)}: {refused.StatusCode}, expected {code}");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);

            using var next = await http.PostAsJsonAsync("api/feedback", new { text = $"next after {code}", label = 1 });
            Assert.Equal(HttpStatusCode.Created, next.StatusCode);
            var answer = await next.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(answer.GetProperty("inserted").GetBoolean());
            written.Add(answer.GetProperty("id").GetGuid());
        }

        // An update answers 200 with the same id and corrects the row in place.
        using var update = await http.PostAsJsonAsync("api/feedback", new { id = written[0], text = "corrected", label = 0 });
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        var updated = await update.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(written[0], updated.GetProperty("id").GetGuid());
        Assert.False(updated.GetProperty("inserted").GetBoolean());
        Assert.Equal(0, updated.GetProperty("label").GetInt32());

        await using var command = database.DataSource.CreateCommand(
            "SELECT count(*), count(*) FILTER (WHERE id = $1 AND comment_text = 'corrected' AND labels = 0 AND updated_at > created_at) FROM source.comments WHERE feedback AND id = ANY($2)");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = written[0] });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = written.ToArray() });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal((cases.Length, 1L), (reader.GetInt64(0), reader.GetInt64(1)));
    }
}
