using System.Text;
using System.Text.Json;
using ToxicFunctions.Streaming;

namespace ToxicFunctions.Tests.Streaming;

public sealed class CommentChangeParserTests
{
    private static readonly CapturedTable s_comments = SourceCommentEvents.Table;

    private static readonly Guid s_id = Guid.Parse("0b7f6c1e-55a4-4a7e-9d8e-1f2a3b4c5d6e");

    private static StreamMessage Message(string? value, string? key = null) =>
        new("t", 0, 7, key is null ? null : Encoding.UTF8.GetBytes(key), value is null ? null : Encoding.UTF8.GetBytes(value));

    private static string?[] Row(string text, string label) =>
        [s_id.ToString(), text, label, "2026-11-26 01:02:03.5+00", "2026-11-26 01:02:03.5+00"];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_what_the_relay_writes_with_and_without_the_schema_wrapper(bool includeSchema)
    {
        var writer = new DebeziumEventWriter("toxic", "toxic", includeSchema);
        var source = new ChangeSource(1234, 1300, 77, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), "false");
        var value = writer.Value(s_comments, 'u', Row("old", "0"), Row("new \"text\"\nline", "1"), source);

        var change = CommentChangeParser.Parse(new StreamMessage("t", 0, 1, writer.Key(s_comments, Row("x", "1")), value))!;

        Assert.Equal(new CommentChange(s_id, 'u', 1234, source.CommittedAt, "new \"text\"\nline", 1, 1300), change);
        using var key = JsonDocument.Parse(writer.Key(s_comments, Row("x", "1")));
        var payload = includeSchema ? key.RootElement.GetProperty("payload") : key.RootElement;
        Assert.Equal(s_id.ToString(), payload.GetProperty("id").GetString());
    }

    [Fact]
    public void Encodes_column_values_as_debezium_does()
    {
        var writer = new DebeziumEventWriter("toxic", "db", includeSchema: false);
        var value = writer.Value(s_comments, 'c', null, Row("hi", "1"), new ChangeSource(5, 6, 7, DateTimeOffset.UnixEpoch, "false"));

        using var json = JsonDocument.Parse(value);
        var after = json.RootElement.GetProperty("after");
        Assert.Equal(JsonValueKind.Number, after.GetProperty("labels").ValueKind);
        Assert.Equal("2026-11-26T01:02:03.5Z", after.GetProperty("created_at").GetString());
        var source = json.RootElement.GetProperty("source");
        Assert.Equal("postgresql", source.GetProperty("connector").GetString());
        Assert.Equal("toxic", source.GetProperty("name").GetString());
        Assert.Equal(5UL, source.GetProperty("lsn").GetUInt64());
        Assert.Equal(7, source.GetProperty("txId").GetInt32());
        Assert.Equal("c", json.RootElement.GetProperty("op").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("before").ValueKind);
    }

    [Fact]
    public void Reads_a_real_debezium_2_event_with_schema()
    {
        // As Debezium 2.x's PostgreSQL connector writes it with the JsonConverter and schemas.enable=true (abridged schema).
        const string value = """
            {"schema":{"type":"struct","fields":[],"optional":false,"name":"toxic.source.comments.Envelope"},
             "payload":{"before":null,
               "after":{"id":"0b7f6c1e-55a4-4a7e-9d8e-1f2a3b4c5d6e","comment_text":"Hello","labels":0,
                        "created_at":"2026-11-26T01:02:03.500000Z","updated_at":"2026-11-26T01:02:03.500000Z"},
               "source":{"version":"2.7.3.Final","connector":"postgresql","name":"toxic","ts_ms":1700000000000,"snapshot":"false",
                         "db":"toxic","sequence":"[null,\"23853304536\"]","schema":"source","table":"comments","txId":1474,
                         "lsn":23853304536,"xmin":null},
               "op":"c","ts_ms":1700000000100,"transaction":null}}
            """;

        var change = CommentChangeParser.Parse(Message(value))!;

        Assert.Equal((s_id, 'c', 23853304536UL, "Hello", (short?)0), (change.SourceId, change.Op, change.Lsn, change.Text, change.Label));
    }

    [Fact]
    public void A_delete_takes_its_id_from_before_or_else_from_the_key()
    {
        const string withoutBefore = """{"before":null,"after":null,"source":{"schema":"source","table":"comments","lsn":9,"ts_ms":1},"op":"d"}""";

        var change = CommentChangeParser.Parse(Message(withoutBefore, key: $$"""{"id":"{{s_id}}"}"""))!;

        Assert.True(change.IsDelete);
        Assert.Equal(s_id, change.SourceId);
        Assert.Null(change.Text);
    }

    // A real Debezium 2.7 event for TRUNCATE source.comments (JsonConverter, schemas.enable=false; the key is null).
    private const string RealTruncate = """
        {"before":null,"after":null,"source":{"version":"2.7.3.Final","connector":"postgresql","name":"toxic","ts_ms":1796031070048,"snapshot":"false","db":"toxic","sequence":"[\"41000768\",\"41002048\"]","ts_us":1796031070048733,"ts_ns":1796031070048733000,"schema":"source","table":"comments","txId":88310,"lsn":41002048,"xmin":null},"transaction":null,"op":"t","ts_ms":1796031070291,"ts_us":1796031070291005,"ts_ns":1796031070291005000}
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_a_real_debezium_2_truncate_event_with_and_without_the_schema_wrapper(bool includeSchema)
    {
        var value = includeSchema
            ? $$"""{"schema":{"type":"struct","fields":[],"optional":false,"name":"toxic.source.comments.Envelope"},"payload":{{RealTruncate}}}"""
            : RealTruncate;

        var change = CommentChangeParser.Parse(Message(value))!;

        Assert.Equal(
            new CommentChange(Guid.Empty, 't', 41002048, DateTimeOffset.FromUnixTimeMilliseconds(1796031070048), null, null, 41000768),
            change);
        Assert.True(change.IsTruncate);
        Assert.False(change.IsDelete);
        Assert.False(change.TextUnavailable);
    }

    [Fact]
    public void A_truncate_without_before_and_after_is_read_too()
    {
        const string value = """{"source":{"schema":"source","table":"comments","lsn":12,"ts_ms":5},"op":"t","ts_ms":6}""";

        var change = CommentChangeParser.Parse(Message(value))!;

        Assert.Equal(new CommentChange(Guid.Empty, 't', 12, DateTimeOffset.FromUnixTimeMilliseconds(5), null, null, 12), change);
    }

    // A Debezium 2.7 update whose unchanged TOASTed comment_text the connector could not read (replica identity DEFAULT):
    // op, before, after, source.sequence and source.lsn as captured; the other source fields filled in alike.
    private const string RealUnavailableText = """
        {"before":null,"after":{"id":"7bc3f53e-623a-457d-b123-09451c830d4b","comment_text":"__debezium_unavailable_value","labels":1,"created_at":"2026-11-30T09:15:02.418337Z","updated_at":"2026-11-30T09:21:47.009112Z"},"source":{"version":"2.7.3.Final","connector":"postgresql","name":"toxic","ts_ms":1796030507009,"snapshot":"false","db":"toxic","sequence":"[\"40127000\",\"40131760\"]","ts_us":1796030507009211,"ts_ns":1796030507009211000,"schema":"source","table":"comments","txId":88102,"lsn":40131760,"xmin":null},"transaction":null,"op":"u","ts_ms":1796030507240,"ts_us":1796030507240117,"ts_ns":1796030507240117000}
        """;

    [Fact]
    public void Reads_the_unavailable_value_placeholder_as_unavailable_text()
    {
        var change = CommentChangeParser.Parse(Message(RealUnavailableText))!;

        Assert.Equal(
            new CommentChange(Guid.Parse("7bc3f53e-623a-457d-b123-09451c830d4b"), 'u', 40131760, DateTimeOffset.FromUnixTimeMilliseconds(1796030507009), null, 1, 40127000)
            {
                TextUnavailable = true,
            },
            change);
        Assert.True(change.TextUnavailable);
        Assert.Null(change.Text);
    }

    [Fact]
    public void The_placeholder_is_the_configured_one_and_must_match_exactly()
    {
        var custom = CommentChangeParser.Parse(Message(RealUnavailableText), "__toasted__")!;
        Assert.False(custom.TextUnavailable);
        Assert.Equal(CdcOptions.DefaultUnavailableValuePlaceholder, custom.Text);

        var customHit = CommentChangeParser.Parse(Message(RealUnavailableText.Replace(CdcOptions.DefaultUnavailableValuePlaceholder, "__toasted__", StringComparison.Ordinal)), "__toasted__")!;
        Assert.True(customHit.TextUnavailable);
        Assert.Null(customHit.Text);

        var near = CommentChangeParser.Parse(Message(RealUnavailableText.Replace("\"__debezium_unavailable_value\"", "\"__debezium_unavailable_value \"", StringComparison.Ordinal)))!;
        Assert.False(near.TextUnavailable);
        Assert.Equal("__debezium_unavailable_value ", near.Text);

        Assert.ThrowsAny<ArgumentException>(() => CommentChangeParser.Parse(Message(RealUnavailableText), ""));
    }

    [Fact]
    public void The_placeholder_still_needs_a_valid_label()
    {
        var value = RealUnavailableText.Replace("\"labels\":1", "\"labels\":7", StringComparison.Ordinal);

        var error = Assert.Throws<StreamEventException>(() => CommentChangeParser.Parse(Message(value)));
        Assert.Contains("0 or 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tombstone_is_no_change()
    {
        Assert.Null(CommentChangeParser.Parse(Message(null, key: $$"""{"id":"{{s_id}}"}""")));
    }

    [Theory]
    [InlineData("{not json", "invalid JSON")]
    [InlineData("""{"op":"x","source":{"schema":"source","table":"comments","lsn":1,"ts_ms":1}}""", "unknown op")]
    [InlineData("""{"op":"c","source":{"schema":"source","table":"comments","ts_ms":1},"after":{}}""", "'lsn'")]
    [InlineData("""{"op":"c","source":{"schema":"public","table":"users","lsn":1,"ts_ms":1},"after":{}}""", "public.users")]
    [InlineData("""{"op":"t","source":{"schema":"public","table":"users","lsn":1,"ts_ms":1}}""", "public.users")]
    [InlineData("""{"op":"t","source":{"schema":"source","table":"comments","ts_ms":1}}""", "'lsn'")]
    [InlineData("""{"op":"t","source":{"schema":"source","table":"comments","lsn":1,"ts_ms":1},"before":{"id":"0b7f6c1e-55a4-4a7e-9d8e-1f2a3b4c5d6e"}}""", "truncate")]
    [InlineData("""{"op":"c","source":{"schema":"source","table":"comments","lsn":1,"ts_ms":1},"after":{"id":"0b7f6c1e-55a4-4a7e-9d8e-1f2a3b4c5d6e","comment_text":"x","labels":1,"severity":3}}""", "unknown column 'severity'")]
    [InlineData("""{"op":"c","source":{"schema":"source","table":"comments","lsn":1,"ts_ms":1},"after":{"id":"0b7f6c1e-55a4-4a7e-9d8e-1f2a3b4c5d6e","comment_text":"x","labels":2}}""", "0 or 1")]
    [InlineData("""{"op":"c","source":{"schema":"source","table":"comments","lsn":1,"ts_ms":1},"after":{"id":"nope","comment_text":"x","labels":1}}""", "uuid")]
    [InlineData("""{"op":"c","source":{"schema":"source","table":"comments","lsn":1,"ts_ms":9999999999999999},"after":{"id":"0b7f6c1e-55a4-4a7e-9d8e-1f2a3b4c5d6e","comment_text":"x","labels":1}}""", "is not a time")]
    [InlineData("""{"op":"c","source":{"schema":"source","table":"comments","lsn":1,"ts_ms":1},"after":{"id":"0b7f6c1e-55a4-4a7e-9d8e-1f2a3b4c5d6e","comment_text":"\ud800","labels":1}}""", "not valid UTF-16")]
    [InlineData("""{"op":"c","source":{"schema":"source","table":"comments","lsn":1,"ts_ms":1},"after":{"id":"0b7f6c1e-55a4-4a7e-9d8e-1f2a3b4c5d6e","comment_text":"a\u0000b","labels":1}}""", "NUL")]
    public void Rejects_what_is_not_a_comment_change(string value, string reason)
    {
        var error = Assert.Throws<StreamEventException>(() => CommentChangeParser.Parse(Message(value)));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
