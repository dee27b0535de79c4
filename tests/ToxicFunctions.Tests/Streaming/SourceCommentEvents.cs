using ToxicFunctions.Streaming;

namespace ToxicFunctions.Tests.Streaming;

/// <summary>Change events of source.comments written as the relay writes them, for tests that need events without a relay.</summary>
internal static class SourceCommentEvents
{
    /// <summary>source.comments as change events describe it.</summary>
    public static CapturedTable Table { get; } = new(
        "source",
        "comments",
        [new("id", 2950), new("comment_text", 25), new("labels", 21), new("created_at", 1184), new("updated_at", 1184)],
        [0]);

    private static readonly DebeziumEventWriter s_writer = new("toxic", "toxic", includeSchema: false);

    /// <summary>The key and value of a change of comment <paramref name="id"/> (label 0) at the given positions.</summary>
    public static (byte[] Key, byte[] Value) Event(Guid id, char op, string text, ulong lsn, ulong commitLsn)
    {
        string?[] row = [id.ToString(), text, "0", "2026-11-26 01:02:03+00", "2026-11-26 01:02:03+00"];
        var source = new ChangeSource(lsn, commitLsn, 7, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), op == 'r' ? "true" : "false");
        return (s_writer.Key(Table, row), s_writer.Value(Table, op, null, row, source));
    }
}
