using System.Text;
using ToxicFunctions.Feedback;
using ToxicFunctions.Http;
using ToxicFunctions.Streaming;

namespace ToxicFunctions.Tests.Feedback;

/// <summary>The reader of <c>POST /api/feedback</c> bodies, and the feedback flag in change events.</summary>
public sealed class FeedbackRequestTests
{
    private static Task<FeedbackRequest> ReadAsync(string body, string? contentType = "application/json") =>
        FeedbackRequest.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), contentType, default);

    [Theory]
    [InlineData("""{"text": "you fool", "label": 1}""", "you fool", 1, null)]
    [InlineData("""{"label": 0, "text": ""}""", "", 0, null)]
    [InlineData("""{"text": "x", "label": 0, "id": null}""", "x", 0, null)]
    [InlineData("""{"text": "x", "label": 1, "id": "0b7f6c1e-55a4-4a7e-9d8e-1f2a3b4c5d6e"}""", "x", 1, "0b7f6c1e-55a4-4a7e-9d8e-1f2a3b4c5d6e")]
    public async Task A_request_gives_its_text_label_and_id(string body, string text, short label, string? id)
    {
        var request = await ReadAsync(body);

        Assert.Equal(new FeedbackRequest(text, label, id is null ? null : Guid.Parse(id)), request);
    }

    [Theory]
    [InlineData("{\"text\": ", "not JSON")]
    [InlineData("", "not JSON")]
    [InlineData("{\"text\": \"a\", \"label\": 1} {}", "more than one JSON value")]
    [InlineData("[\"a\"]", "not an array")]
    [InlineData("{}", "are required")]
    [InlineData("{\"text\": \"a\"}", "are required")]
    [InlineData("{\"label\": 1}", "are required")]
    [InlineData("{\"text\": null, \"label\": 1}", "text must be a string, not null")]
    [InlineData("{\"text\": 5, \"label\": 1}", "text must be a string, not a number")]
    [InlineData("{\"text\": \"a\", \"label\": null}", "label must be 0 or 1, not null")]
    [InlineData("{\"text\": \"a\", \"label\": 2}", "label must be 0 or 1, not 2")]
    [InlineData("{\"text\": \"a\", \"label\": -1}", "label must be 0 or 1, not -1")]
    [InlineData("{\"text\": \"a\", \"label\": 1.5}", "label must be 0 or 1, not 1.5")]
    [InlineData("{\"text\": \"a\", \"label\": 70000}", "label must be 0 or 1, not 70000")]
    [InlineData("{\"text\": \"a\", \"label\": \"1\"}", "label must be 0 or 1, not a string")]
    [InlineData("{\"text\": \"a\", \"label\": true}", "label must be 0 or 1, not a boolean")]
    [InlineData("{\"text\": \"a\", \"label\": 1, \"id\": \"42\"}", "id must be a UUID")]
    [InlineData("{\"text\": \"a\", \"label\": 1, \"id\": 42}", "id must be a UUID string, not a number")]
    [InlineData("{\"text\": \"a\", \"label\": 1, \"id\": \"\\ud800\"}", "id must be a UUID")]
    [InlineData("{\"text\": \"a\", \"label\": 1, \"labels\": 1}", "Unknown property 'labels'")]
    [InlineData("{\"text\": \"\\ud800\", \"label\": 1}", "lone surrogate")]
    [InlineData("{\"text\": \"a\\u0000b\", \"label\": 1}", "NUL")]
    public async Task A_body_of_another_shape_is_a_400_that_says_why(string body, string why)
    {
        var e = await Assert.ThrowsAsync<InvalidRequestException>(() => ReadAsync(body));

        Assert.Equal(400, e.StatusCode);
        Assert.Equal(FeedbackRequest.NotARequest, e.Title);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_text_or_a_body_over_its_limit_is_a_413()
    {
        await ReadAsync($"{{\"text\": \"{new string('y', FeedbackRequest.MaxTextChars)}\", \"label\": 1}}");
        var text = await Assert.ThrowsAsync<InvalidRequestException>(
            () => ReadAsync($"{{\"text\": \"{new string('y', FeedbackRequest.MaxTextChars + 1)}\", \"label\": 1}}"));
        Assert.Equal(413, text.StatusCode);

        // Every character escaped: the longest text still fits the body limit.
        await ReadAsync($"{{\"text\": \"{string.Concat(Enumerable.Repeat("\\u00e9", FeedbackRequest.MaxTextChars))}\", \"label\": 1}}");
        var body = await Assert.ThrowsAsync<InvalidRequestException>(
            () => ReadAsync($"{{\"text\": \"a\", \"label\": 1, \"id\": null{new string(' ', FeedbackRequest.MaxBodyBytes)}}}"));
        Assert.Equal(413, body.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task A_body_that_is_not_json_is_a_415(string? contentType)
    {
        var e = await Assert.ThrowsAsync<InvalidRequestException>(() => ReadAsync("""{"text": "a", "label": 1}""", contentType));

        Assert.Equal(415, e.StatusCode);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("text/json")]
    [InlineData("application/merge-patch+json")]
    public async Task Json_media_types_are_accepted(string contentType) =>
        Assert.Equal(1, (await ReadAsync("""{"text": "a", "label": 1}""", contentType)).Label);

    [Theory]
    [InlineData(""","feedback":true""", true)]
    [InlineData(""","feedback":false""", false)]
    [InlineData(""","feedback":null""", false)]
    [InlineData("", false)]
    public void Change_events_carry_the_feedback_flag_enveloped_and_flattened(string column, bool feedback)
    {
        var envelope = $$"""
            {"before":null,"after":{"id":"0b7f6c1e-55a4-4a7e-9d8e-1f2a3b4c5d6e","comment_text":"x","labels":1{{column}}},
             "source":{"schema":"source","table":"comments","lsn":10,"ts_ms":1},"op":"u"}
            """;
        var flattened = $$"""{"id":"0b7f6c1e-55a4-4a7e-9d8e-1f2a3b4c5d6e","comment_text":"x","labels":1{{column}},"__op":"u","__lsn":10}""";
        foreach (var value in new[] { envelope, flattened })
        {
            var change = CommentChangeParser.Parse(new StreamMessage("t", 0, 1, null, Encoding.UTF8.GetBytes(value)))!;
            Assert.Equal(feedback, change.Feedback);
            Assert.Equal((short)1, change.Label);
        }
    }

    [Fact]
    public void A_feedback_flag_that_is_not_a_boolean_is_a_poison_event()
    {
        const string value = """{"id":"0b7f6c1e-55a4-4a7e-9d8e-1f2a3b4c5d6e","comment_text":"x","labels":1,"feedback":3,"__op":"c","__lsn":10}""";

        var e = Assert.Throws<StreamEventException>(() => CommentChangeParser.Parse(new StreamMessage("t", 0, 1, null, Encoding.UTF8.GetBytes(value))));
        Assert.Contains("feedback", e.Message, StringComparison.Ordinal);
    }
}
