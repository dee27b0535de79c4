using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Streaming;

/// <summary>
/// Change events exactly as real Debezium 2.7 wrote them (Streaming/Cases: a copy of each input and the state the
/// product must end in), produced to the dev broker and consumed by the local host's Kafka trigger.
/// </summary>
public sealed class DebeziumCaseTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Theory]
    [InlineData("cdc-truncate")]
    [InlineData("cdc-toast-placeholder")]
    public async Task A_real_debezium_case_ends_in_its_expected_state(string name)
    {
        await database.ExecuteAsync("TRUNCATE staging.stream_comments, staging.stream_dead_letters, staging.stream_truncates");
        var scenario = new StreamScenario(database);
        var folder = Path.Combine(AppContext.BaseDirectory, "Streaming", "Cases", name);
        using (var producer = StreamScenario.Producer())
        {
            foreach (var line in await File.ReadAllLinesAsync(Path.Combine(folder, "messages.jsonl")))
            {
                using var record = JsonDocument.Parse(line);
                await producer.ProduceAsync(new TopicPartition(scenario.Topic, 0), new Message<byte[]?, byte[]?>
                {
                    Key = Bytes(record.RootElement.GetProperty("key")),
                    Value = Bytes(record.RootElement.GetProperty("value")),
                });
            }
        }

        using var expected = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "expected.json")));
        await using (await scenario.StartAsync(relay: false))
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (await DifferenceAsync(expected.RootElement) is not null && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }

        Assert.Null(await DifferenceAsync(expected.RootElement));
    }

    /// <summary>What differs from the expected state (null when nothing does).</summary>
    private async Task<string?> DifferenceAsync(JsonElement expected)
    {
        var rows = await ReadRowsAsync();
        var live = expected.TryGetProperty("live", out var l) ? l.EnumerateArray().ToList() : [];
        var all = expected.TryGetProperty("rows", out var r) ? r.EnumerateArray().ToList() : [];
        foreach (var row in live.Concat(all))
        {
            var id = Guid.Parse(row.GetProperty("source_id").GetString()!);
            if (!rows.TryGetValue(id, out var actual))
            {
                return $"{id} is not in staging";
            }

            if (actual.Deleted != (row.TryGetProperty("deleted", out var d) && d.GetBoolean()))
            {
                return $"{id}: deleted is {actual.Deleted}";
            }

            if (actual.Text != row.GetProperty("comment_text").GetString() || actual.Labels != row.GetProperty("labels").GetInt16()
                || !row.GetProperty("input_ids").EnumerateArray().Select(i => i.GetInt32()).SequenceEqual(actual.InputIds ?? []))
            {
                return $"{id}: text, labels or input_ids differ (labels {actual.Labels}, {actual.InputIds?.Length} ids, text '{actual.Text?[..Math.Min(40, actual.Text.Length)]}')";
            }

            if (row.TryGetProperty("op", out var op) && actual.Op != op.GetString())
            {
                return $"{id}: op is {actual.Op}";
            }
        }

        if (expected.TryGetProperty("not_live", out var notLive))
        {
            foreach (var id in notLive.EnumerateArray().Select(i => Guid.Parse(i.GetString()!)))
            {
                if (rows.TryGetValue(id, out var actual) && !actual.Deleted)
                {
                    return $"{id} is still live";
                }
            }
        }

        if (expected.TryGetProperty("never", out var never) && never.TryGetProperty("comment_text", out var placeholder))
        {
            var text = placeholder.GetString()!;
            var ids = ToxicFunctions.Tokenization.WordPieceTokenizer.DistilBertBaseUncased.Encode(text)[1..^1];
            if (rows.Values.Any(v => v.Text == text || (v.InputIds is { } staged && Contains(staged, ids))))
            {
                return $"'{text}' or its ids are in staging";
            }
        }

        var deadLetters = await database.ScalarAsync<long>("SELECT count(*) FROM staging.stream_dead_letters");
        return deadLetters == expected.GetProperty("dead_letters").GetInt32() ? null : $"{deadLetters} dead letters";
    }

    private async Task<Dictionary<Guid, (bool Deleted, string? Text, short? Labels, int[]? InputIds, string Op)>> ReadRowsAsync()
    {
        var rows = new Dictionary<Guid, (bool, string?, short?, int[]?, string)>();
        await using var command = database.DataSource.CreateCommand(
            "SELECT source_id, deleted, comment_text, labels, input_ids, op FROM staging.stream_comments");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows[reader.GetGuid(0)] = (
                reader.GetBoolean(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetInt16(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<int[]>(4),
                reader.GetString(5));
        }

        return rows;
    }

    private static bool Contains(int[] haystack, int[] needle) =>
        Enumerable.Range(0, haystack.Length - needle.Length + 1).Any(i => haystack.AsSpan(i, needle.Length).SequenceEqual(needle));

    private static byte[]? Bytes(JsonElement element) =>
        element.ValueKind == JsonValueKind.Null ? null : Encoding.UTF8.GetBytes(element.GetRawText());
}
