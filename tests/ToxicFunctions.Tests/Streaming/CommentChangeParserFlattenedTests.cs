using System.Text;
using ToxicFunctions.Streaming;

namespace ToxicFunctions.Tests.Streaming;

/// <summary>Records flattened by Debezium's ExtractNewRecordState SMT (deploy/debezium/source-comments-connector-flattened.json).</summary>
public sealed class CommentChangeParserFlattenedTests
{
    private static readonly Guid s_id = Guid.Parse("7bc3f53e-623a-457d-b123-09451c830d4b");

    // As the SMT writes them with add.fields=op,lsn,sequence,source.ts_ms,schema,table and
    // delete.tombstone.handling.mode=rewrite-with-tombstone (JsonConverter, schemas.enable=false).
    private const string Create = """
        {"id":"7bc3f53e-623a-457d-b123-09451c830d4b","comment_text":"you are all wonderful","labels":0,"created_at":"2026-11-30T09:15:02.418337Z","updated_at":"2026-11-30T09:15:02.418337Z","__op":"c","__lsn":40125000,"__sequence":"[\"40120000\",\"40125000\"]","__source_ts_ms":1796030102418,"__schema":"source","__table":"comments","__deleted":"false"}
        """;

    private const string Update = """
        {"id":"7bc3f53e-623a-457d-b123-09451c830d4b","comment_text":"you are all awful","labels":1,"created_at":"2026-11-30T09:15:02.418337Z","updated_at":"2026-11-30T09:21:47.009112Z","__op":"u","__lsn":40131760,"__sequence":"[\"40127000\",\"40131760\"]","__source_ts_ms":1796030507009,"__schema":"source","__table":"comments","__deleted":"false"}
        """;

    private const string Delete = """
        {"id":"7bc3f53e-623a-457d-b123-09451c830d4b","comment_text":"you are all awful","labels":1,"created_at":"2026-11-30T09:15:02.418337Z","updated_at":"2026-11-30T09:21:47.009112Z","__op":"d","__lsn":40140000,"__sequence":"[\"40131760\",\"40140000\"]","__source_ts_ms":1796030600000,"__schema":"source","__table":"comments","__deleted":"true"}
        """;

    private static StreamMessage Message(string? value, DateTimeOffset? timestamp = null) =>
        new("toxic.source.comments", 0, 7, Encoding.UTF8.GetBytes($$"""{"id":"{{s_id}}"}"""), value is null ? null : Encoding.UTF8.GetBytes(value), timestamp);

    private static string Without(string record, string field) =>
        System.Text.RegularExpressions.Regex.Replace(record, $",\"{field}\":(\"(\\\\.|[^\"\\\\])*\"|[^,}}]*)", "");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_a_flattened_create_with_and_without_the_schema_wrapper(bool includeSchema)
    {
        var value = includeSchema
            ? $$"""{"schema":{"type":"struct","fields":[{"type":"string","optional":false,"name":"io.debezium.data.Uuid","field":"id"}],"optional":false,"name":"toxic.source.comments.Value"},"payload":{{Create}}}"""
            : Create;

        var change = CommentChangeParser.Parse(Message(value))!;

        Assert.Equal(
            new CommentChange(s_id, 'c', 40125000, DateTimeOffset.FromUnixTimeMilliseconds(1796030102418), "you are all wonderful", 0, 40120000),
            change);
    }

    [Fact]
    public void Reads_a_flattened_update()
    {
        var change = CommentChangeParser.Parse(Message(Update))!;

        Assert.Equal(
            new CommentChange(s_id, 'u', 40131760, DateTimeOffset.FromUnixTimeMilliseconds(1796030507009), "you are all awful", 1, 40127000),
            change);
        Assert.False(change.TextUnavailable);
    }

    [Fact]
    public void Reads_a_rewritten_delete()
    {
        var change = CommentChangeParser.Parse(Message(Delete))!;

        Assert.Equal(new CommentChange(s_id, 'd', 40140000, DateTimeOffset.FromUnixTimeMilliseconds(1796030600000), null, null, 40131760), change);
        Assert.True(change.IsDelete);
    }

    [Fact]
    public void A_rewritten_delete_under_replica_identity_default_has_only_the_id()
    {
        const string value = """
            {"id":"7bc3f53e-623a-457d-b123-09451c830d4b","comment_text":null,"labels":null,"created_at":null,"updated_at":null,"__op":"d","__lsn":40140000,"__sequence":"[\"40131760\",\"40140000\"]","__source_ts_ms":1796030600000,"__deleted":"true"}
            """;

        var change = CommentChangeParser.Parse(Message(value))!;

        Assert.Equal((s_id, 'd', (string?)null, (short?)null), (change.SourceId, change.Op, change.Text, change.Label));
    }

    [Theory]
    [InlineData("\"__op\":\"u\"", "\"__deleted\":\"true\"")]
    [InlineData("\"__op\":\"d\"", "\"__deleted\":\"false\"")]
    [InlineData("\"__op\":\"d\"", "\"__db\":\"toxic\"")]
    public void A_deleted_flag_or_op_d_is_a_delete(string op, string deleted)
    {
        var value = Update.Replace("\"__op\":\"u\"", op, StringComparison.Ordinal).Replace("\"__deleted\":\"false\"", deleted, StringComparison.Ordinal);

        var change = CommentChangeParser.Parse(Message(value))!;

        Assert.True(change.IsDelete);
        Assert.Equal(s_id, change.SourceId);
        Assert.Null(change.Text);
    }

    [Fact]
    public void Reads_the_unavailable_value_placeholder_in_a_flattened_update()
    {
        var value = Update.Replace("you are all awful", CdcOptions.DefaultUnavailableValuePlaceholder, StringComparison.Ordinal);

        var change = CommentChangeParser.Parse(Message(value))!;

        Assert.Equal(
            new CommentChange(s_id, 'u', 40131760, DateTimeOffset.FromUnixTimeMilliseconds(1796030507009), null, 1, 40127000) { TextUnavailable = true },
            change);
    }

    [Theory]
    [InlineData("__op")]
    [InlineData("__lsn")]
    public void A_flattened_record_without_operation_or_position_says_which_fields_to_add(string missing)
    {
        var value = Without(Update, missing);
        Assert.DoesNotContain($"\"{missing}\"", value, StringComparison.Ordinal);

        var error = Assert.Throws<StreamEventException>(() => CommentChangeParser.Parse(Message(value)));

        Assert.Contains("ExtractNewRecordState", error.Message, StringComparison.Ordinal);
        Assert.Contains("add.fields=op,lsn", error.Message, StringComparison.Ordinal);
        Assert.Contains("found id, comment_text, labels, created_at, updated_at", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plain_flattened_row_says_which_fields_to_add()
    {
        const string value = """{"id":"7bc3f53e-623a-457d-b123-09451c830d4b","comment_text":"hi","labels":0,"created_at":"2026-11-30T09:15:02.418337Z","updated_at":"2026-11-30T09:15:02.418337Z"}""";

        var error = Assert.Throws<StreamEventException>(() => CommentChangeParser.Parse(Message(value)));

        Assert.Equal(
            "a flattened (ExtractNewRecordState) record needs the operation and position: add.fields=op,lsn (found id, comment_text, labels, created_at, updated_at)",
            error.Message);
    }

    [Fact]
    public void The_commit_time_falls_back_to_ts_ms_then_the_record_timestamp_then_the_time_of_reading()
    {
        var withoutSourceTime = Without(Update, "__source_ts_ms");
        var processed = withoutSourceTime.Replace("\"__deleted\"", "\"__ts_ms\":1796030507240,\"__deleted\"", StringComparison.Ordinal);
        var recordTime = new DateTimeOffset(2026, 11, 30, 9, 21, 48, TimeSpan.Zero);

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1796030507240), CommentChangeParser.Parse(Message(processed, recordTime))!.CommittedAt);
        Assert.Equal(recordTime, CommentChangeParser.Parse(Message(withoutSourceTime, recordTime))!.CommittedAt);

        var before = DateTimeOffset.UtcNow;
        var now = CommentChangeParser.Parse(Message(withoutSourceTime))!.CommittedAt;
        Assert.InRange(now, before, DateTimeOffset.UtcNow);
    }

    [Fact]
    public void The_commit_position_is_the_sequence_under_either_name_else_the_lsn()
    {
        var qualified = Update.Replace("\"__sequence\"", "\"__source_sequence\"", StringComparison.Ordinal);
        Assert.Equal(40127000UL, CommentChangeParser.Parse(Message(qualified))!.CommitLsn);

        var change = CommentChangeParser.Parse(Message(Without(Update, "__sequence")))!;
        Assert.Equal((40131760UL, 40131760UL), (change.Lsn, change.CommitLsn));
    }

    [Fact]
    public void Reads_positions_and_times_written_as_decimal_strings()
    {
        var value = Update.Replace("\"__lsn\":40131760", "\"__lsn\":\"40131760\"", StringComparison.Ordinal)
            .Replace("\"__source_ts_ms\":1796030507009", "\"__source_ts_ms\":\"1796030507009\"", StringComparison.Ordinal);

        var change = CommentChangeParser.Parse(Message(value))!;

        Assert.Equal((40131760UL, DateTimeOffset.FromUnixTimeMilliseconds(1796030507009)), (change.Lsn, change.CommittedAt));
    }

    [Fact]
    public void Other_metadata_fields_are_allowed()
    {
        var value = Update.Replace(
            "\"__deleted\"",
            "\"__db\":\"toxic\",\"__name\":\"toxic\",\"__txId\":88102,\"__version\":\"2.7.3.Final\",\"__source_table\":\"comments\",\"__source_schema\":\"source\",\"__ts_ms\":1796030507240,\"__deleted\"",
            StringComparison.Ordinal);

        var change = CommentChangeParser.Parse(Message(value))!;

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1796030507009), change.CommittedAt);
        Assert.Equal("you are all awful", change.Text);
    }

    [Theory]
    [InlineData("\"labels\":1", "\"labels\":1,\"severity\":3", "unknown column 'severity'")]
    [InlineData("\"__table\":\"comments\"", "\"__table\":\"users\"", "__table is \"users\"")]
    [InlineData("\"__schema\":\"source\"", "\"__schema\":\"public\"", "__schema is \"public\"")]
    [InlineData("\"__schema\":\"source\"", "\"__source_table\":\"users\"", "__source_table")]
    [InlineData("\"__op\":\"u\"", "\"__op\":\"x\"", "unknown op 'x'")]
    [InlineData("\"__op\":\"u\"", "\"__op\":\"t\"", "unknown op 't'")]
    [InlineData("\"__op\":\"u\"", "\"__op\":1", "unknown op '1'")]
    [InlineData("\"__lsn\":40131760", "\"__lsn\":-1", "not a WAL position")]
    [InlineData("\"__lsn\":40131760", "\"__lsn\":\"0x2645B30\"", "not a WAL position")]
    [InlineData("\"__source_ts_ms\":1796030507009", "\"__source_ts_ms\":9999999999999999", "is not a time")]
    [InlineData("\"__source_ts_ms\":1796030507009", "\"__source_ts_ms\":\"soon\"", "not Unix milliseconds")]
    [InlineData("\"__deleted\":\"false\"", "\"__deleted\":\"yes\"", "__deleted must be")]
    [InlineData("\"labels\":1", "\"labels\":2", "0 or 1")]
    [InlineData("\"labels\":1", "\"labels\":null", "'labels'")]
    [InlineData("\"7bc3f53e-623a-457d-b123-09451c830d4b\"", "\"nope\"", "uuid")]
    [InlineData("you are all awful", "a\\u0000b", "NUL")]
    [InlineData("you are all awful", "\\ud800", "not valid UTF-16")]
    public void Rejects_flattened_records_that_are_not_comment_changes(string replace, string with, string reason)
    {
        var value = Update.Replace(replace, with, StringComparison.Ordinal);
        Assert.NotEqual(Update, value);

        var error = Assert.Throws<StreamEventException>(() => CommentChangeParser.Parse(Message(value)));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kafka_tombstone_kept_by_rewrite_with_tombstone_is_no_change()
    {
        Assert.Null(CommentChangeParser.Parse(Message(null)));
    }
}
