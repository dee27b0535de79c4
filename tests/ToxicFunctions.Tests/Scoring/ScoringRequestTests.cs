using System.Text;
using ToxicFunctions.Http;
using ToxicFunctions.Scoring;

namespace ToxicFunctions.Tests.Scoring;

/// <summary>The one reader of scoring requests, used by <c>POST /api/score</c> and <c>toxic score</c>.</summary>
public sealed class ScoringRequestTests
{
    [Theory]
    [InlineData("""{"text": "you are great"}""", false, new[] { "you are great" })]
    [InlineData("""{"text": ""}""", false, new[] { "" })]
    [InlineData("""{"texts": ["a", "", "b"]}""", true, new[] { "a", "", "b" })]
    [InlineData(""" {"texts": ["\u00e9\ud83d\ude00"]} """, true, new[] { "é😀" })]
    public async Task A_request_gives_its_texts_in_order_and_an_empty_text_is_valid(string body, bool batch, string[] texts)
    {
        var request = await ReadAsync(body);

        Assert.Equal(batch, request.IsBatch);
        Assert.Equal(texts, request.Texts);
    }

    [Theory]
    [InlineData("{\"texts\": [", "not JSON")]
    [InlineData("", "not JSON")]
    [InlineData("{\"text\": \"a\"} {\"text\": \"b\"}", "more than one JSON value")]
    [InlineData("[\"a\"]", "not a JSON array")]
    [InlineData("\"a\"", "not a JSON string")]
    [InlineData("{}", "exactly one of")]
    [InlineData("{\"text\": null}", "text must be a string, not null")]
    [InlineData("{\"text\": 5}", "text must be a string, not a number")]
    [InlineData("{\"text\": {\"a\": 1}}", "text must be a string, not an object")]
    [InlineData("{\"texts\": \"a\"}", "\"texts\" must be an array of strings, not a string")]
    [InlineData("{\"texts\": null}", "\"texts\" must be an array of strings, not null")]
    [InlineData("{\"texts\": []}", "\"texts\" is empty")]
    [InlineData("{\"texts\": [\"ok\", true]}", "texts[1] must be a string, not a boolean")]
    [InlineData("{\"texts\": [\"ok\", null]}", "texts[1] must be a string, not null")]
    [InlineData("{\"texts\": [\"ok\", \"\\ud800\"]}", "texts[1] is not valid UTF-16")]
    [InlineData("{\"text\": \"a\", \"texts\": [\"b\"]}", "exactly one of")]
    [InlineData("{\"comment\": \"x\"}", "Unknown property 'comment'")]
    [InlineData("{\"text\": [[[[[[[[[[\"deep\"]]]]]]]]]]}", "not JSON")]
    public async Task A_body_that_is_not_a_request_of_this_shape_is_400_naming_what_is_wrong(string body, string detail)
    {
        var error = await Assert.ThrowsAsync<InvalidRequestException>(() => ReadAsync(body));

        Assert.Equal(400, error.StatusCode);
        Assert.Contains(detail, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_texts_a_text_too_long_or_a_body_too_large_is_413()
    {
        var many = "{\"texts\": [" + string.Join(",", Enumerable.Repeat("\"x\"", ScoringRequest.MaxTexts + 1)) + "]}";
        var tooMany = await Assert.ThrowsAsync<InvalidRequestException>(() => ReadAsync(many));
        Assert.Equal(413, tooMany.StatusCode);
        Assert.Contains($"at most {ScoringRequest.MaxTexts}", tooMany.Message, StringComparison.Ordinal);
        Assert.Equal(ScoringRequest.MaxTexts, (await ReadAsync("{\"texts\": [" + string.Join(",", Enumerable.Repeat("\"x\"", ScoringRequest.MaxTexts)) + "]}")).Texts.Count);

        var longText = await Assert.ThrowsAsync<InvalidRequestException>(() => ReadAsync($"{{\"texts\": [\"a\", \"{new string('y', ScoringRequest.MaxTextChars + 1)}\"]}}"));
        Assert.Equal(413, longText.StatusCode);
        Assert.Contains("texts[1]", longText.Message, StringComparison.Ordinal);
        Assert.Single((await ReadAsync($"{{\"text\": \"{new string('y', ScoringRequest.MaxTextChars)}\"}}")).Texts);

        // The body is not read past the limit: a stream that never ends is refused all the same.
        var endless = await Assert.ThrowsAsync<InvalidRequestException>(() => ScoringRequest.ReadAsync(new EndlessStream(), "application/json", CancellationToken.None));
        Assert.Equal(413, endless.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task A_body_that_is_not_sent_as_json_is_415(string? contentType)
    {
        var error = await Assert.ThrowsAsync<InvalidRequestException>(
            () => ScoringRequest.ReadAsync(new MemoryStream("{\"text\": \"a\"}"u8.ToArray()), contentType, CancellationToken.None));

        Assert.Equal(415, error.StatusCode);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON")]
    [InlineData("text/json")]
    [InlineData("application/vnd.toxic+json")]
    public async Task Json_media_types_are_accepted(string contentType)
    {
        var request = await ScoringRequest.ReadAsync(new MemoryStream("{\"text\": \"a\"}"u8.ToArray()), contentType, CancellationToken.None);

        Assert.Equal(["a"], request.Texts);
    }

    private static Task<ScoringRequest> ReadAsync(string body) =>
        ScoringRequest.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), "application/json", CancellationToken.None);

    /// <summary>A body that never ends, as a client that streams without stopping sends it.</summary>
    private sealed class EndlessStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill((byte)' ');
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
