using System.Text;
using Confluent.Kafka;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Streaming;

/// <summary>
/// source.comments -> relay -> Kafka -> StreamCommentChanges -> staging.stream_comments, on the real PostgreSQL and
/// the Kafka dev broker, with the faults a stream meets. Each test ends with staging equal to the source.
/// </summary>
public sealed class CdcPipelineTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private async Task<StreamScenario> CleanScenarioAsync()
    {
        // The fixture's database is shared by this class's tests: each starts from an empty source table, and the
        // slots of earlier tests go (slots are a cluster-wide, limited resource).
        var scenario = new StreamScenario(database);
        await scenario.ExecuteAsync("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = current_database() AND NOT active");
        await scenario.ExecuteAsync("TRUNCATE source.comments, staging.stream_comments, staging.stream_dead_letters, staging.stream_truncates");
        return scenario;
    }

    [Fact]
    public async Task Ten_thousand_inserts_then_updates_and_deletes_end_with_staging_equal_to_the_source()
    {
        var scenario = await CleanScenarioAsync();
        await scenario.InsertAsync(200); // present before the slot exists: they arrive through the snapshot
        await using var host = await scenario.StartAsync();

        await scenario.InsertAsync(10_000, offset: 200);
        await scenario.ExecuteAsync("UPDATE source.comments SET labels = 1 - labels, comment_text = comment_text || ' (edited)' WHERE comment_text LIKE 'Comment 1%'");
        await scenario.ExecuteAsync("DELETE FROM source.comments WHERE comment_text LIKE 'Comment 2%'");

        await scenario.AssertStagingEqualsSourceAsync();
        Assert.True(await scenario.CountAsync("SELECT count(*) FROM staging.stream_comments WHERE op = 'r'") >= 1);
        Assert.True(await scenario.CountAsync("SELECT count(*) FROM staging.stream_comments WHERE deleted") > 1000);
        Assert.Equal(0, await scenario.CountAsync("SELECT count(*) FROM staging.stream_dead_letters"));
    }

    [Fact]
    public async Task A_truncate_of_the_source_table_ends_with_staging_equal_to_the_source()
    {
        var scenario = await CleanScenarioAsync();
        await using var host = await scenario.StartAsync();
        await scenario.InsertAsync(500);
        await scenario.AssertStagingEqualsSourceAsync();

        await scenario.ExecuteAsync("TRUNCATE source.comments");
        await scenario.InsertAsync(100, offset: 1_000);

        await scenario.AssertStagingEqualsSourceAsync();
        Assert.Equal(500, await scenario.CountAsync("SELECT count(*) FROM staging.stream_comments WHERE deleted AND op = 't'"));
        Assert.Equal(1, await scenario.CountAsync("SELECT count(*) FROM staging.stream_truncates"));
        Assert.Equal(0, await scenario.CountAsync("SELECT count(*) FROM staging.stream_dead_letters"));
    }

    [Fact]
    public async Task Killing_the_relay_mid_stream_and_starting_it_again_loses_nothing()
    {
        var scenario = await CleanScenarioAsync();
        await using var consumer = await scenario.StartAsync(relay: false, consumer: true);
        var relay = await scenario.StartAsync(relay: true, consumer: false);

        var writes = Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                await scenario.InsertAsync(250, offset: i * 250);
                await Task.Delay(50);
            }
        });
        await Task.Delay(400);
        await relay.DisposeAsync(); // mid-stream: some transactions are acknowledged, some not yet
        await Task.Delay(300);
        await using var restarted = await scenario.StartAsync(relay: true, consumer: false);
        await writes;
        await scenario.ExecuteAsync("DELETE FROM source.comments WHERE comment_text LIKE 'Comment 3%'");

        await scenario.AssertStagingEqualsSourceAsync();
    }

    [Fact]
    public async Task Killing_the_consumer_mid_batch_and_starting_another_loses_nothing()
    {
        var scenario = await CleanScenarioAsync();
        await using var relay = await scenario.StartAsync(relay: true, consumer: false);
        await scenario.InsertAsync(5000);
        var consumer = await scenario.StartAsync(relay: false, consumer: true);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await scenario.CountAsync("SELECT count(*) FROM staging.stream_comments") == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await consumer.DisposeAsync(); // while batches are in flight: the one being applied rolls back, uncommitted
        await scenario.InsertAsync(5000, offset: 5000);
        await using var next = await scenario.StartAsync(relay: false, consumer: true);

        await scenario.AssertStagingEqualsSourceAsync();
    }

    [Fact]
    public async Task The_same_events_delivered_twice_change_nothing()
    {
        var scenario = await CleanScenarioAsync();
        await using var host = await scenario.StartAsync();
        await scenario.InsertAsync(2000);
        await scenario.ExecuteAsync("UPDATE source.comments SET labels = 1 - labels WHERE comment_text LIKE 'Comment 1%'");
        await scenario.ExecuteAsync("DELETE FROM source.comments WHERE comment_text LIKE 'Comment 2%'");
        await scenario.AssertStagingEqualsSourceAsync();
        var before = await scenario.CountAsync("SELECT count(*) FROM staging.stream_comments");

        // Replay the whole topic: every event arrives a second time, after the newer ones.
        var events = scenario.ReadTopic();
        Assert.Equal(2000 + 1111 + (2 * 112), events.Count); // creates, updates, deletes with their tombstones
        using (var producer = StreamScenario.Producer())
        {
            foreach (var e in events)
            {
                producer.Produce(scenario.Topic, new Message<byte[]?, byte[]?> { Key = e.Message.Key, Value = e.Message.Value });
            }

            producer.Flush(TimeSpan.FromSeconds(30));
        }

        await Task.Delay(1000);
        await scenario.AssertStagingEqualsSourceAsync();
        Assert.Equal(before, await scenario.CountAsync("SELECT count(*) FROM staging.stream_comments"));
    }

    [Fact]
    public async Task Events_out_of_order_across_a_rebalance_never_let_an_older_change_win()
    {
        var scenario = await CleanScenarioAsync();
        await using var relay = await scenario.StartAsync(relay: true, consumer: false);
        await using var first = await scenario.StartAsync(relay: false, consumer: true);
        await scenario.InsertAsync(3000);

        // A second consumer joins the group mid-stream: partitions move, uncommitted events are read again.
        var second = await scenario.StartAsync(relay: false, consumer: true);
        await scenario.ExecuteAsync("UPDATE source.comments SET comment_text = comment_text || ' v2' WHERE comment_text LIKE 'Comment 1%'");
        await second.DisposeAsync();
        await scenario.AssertStagingEqualsSourceAsync();

        // The creates of the updated rows arrive again, late, behind their updates.
        var creates = scenario.ReadTopic().Where(e => e.Message.Value is { } v && Encoding.UTF8.GetString(v).Contains("\"op\":\"c\"", StringComparison.Ordinal)).ToList();
        using (var producer = StreamScenario.Producer())
        {
            foreach (var e in creates)
            {
                producer.Produce(scenario.Topic, new Message<byte[]?, byte[]?> { Key = e.Message.Key, Value = e.Message.Value });
            }

            producer.Flush(TimeSpan.FromSeconds(30));
        }

        await Task.Delay(1000);
        await scenario.AssertStagingEqualsSourceAsync();
        Assert.Equal(1111, await scenario.CountAsync("SELECT count(*) FROM staging.stream_comments WHERE comment_text LIKE '% v2'"));
    }

    [Fact]
    public async Task Poison_events_go_to_the_dead_letter_table_and_the_stream_keeps_flowing()
    {
        var scenario = await CleanScenarioAsync();
        await using var host = await scenario.StartAsync();
        await scenario.InsertAsync(500);
        await scenario.AssertStagingEqualsSourceAsync();

        const string unknownColumn = """
            {"before":null,"after":{"id":"0b7f6c1e-55a4-4a7e-9d8e-1f2a3b4c5d6e","comment_text":"x","labels":1,"severity":3},
             "source":{"schema":"source","table":"comments","lsn":1,"ts_ms":1},"op":"c"}
            """;
        using (var producer = StreamScenario.Producer())
        {
            producer.Produce(scenario.Topic, new Message<byte[]?, byte[]?> { Key = "k1"u8.ToArray(), Value = "{this is not json"u8.ToArray() });
            producer.Produce(scenario.Topic, new Message<byte[]?, byte[]?> { Key = "k2"u8.ToArray(), Value = Encoding.UTF8.GetBytes(unknownColumn) });
            producer.Flush(TimeSpan.FromSeconds(30));
        }

        await scenario.InsertAsync(500, offset: 500);
        await scenario.AssertStagingEqualsSourceAsync();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await scenario.CountAsync("SELECT count(*) FROM staging.stream_dead_letters") < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await using var command = scenario.DataSource.CreateCommand(
            "SELECT topic, message_key, payload, error FROM staging.stream_dead_letters ORDER BY \"offset\"");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string Topic, string Key, string Payload, string Error)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(scenario.Topic, r.Topic));
        Assert.Contains(rows, r => r.Key == "k1" && r.Payload == "{this is not json" && r.Error.StartsWith("invalid JSON", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Key == "k2" && r.Error.Contains("unknown column 'severity'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_idle_relay_keeps_confirming_so_wal_does_not_pile_up_behind_its_slot()
    {
        var scenario = await CleanScenarioAsync();
        await using var host = await scenario.StartAsync(relay: true, consumer: false);

        // WAL that the publication does not cover: the slot has nothing to send, but must still move past it.
        await scenario.ExecuteAsync("CREATE TABLE IF NOT EXISTS public.wal_noise AS SELECT g FROM generate_series(1, 1) g");
        await scenario.ExecuteAsync("INSERT INTO public.wal_noise SELECT g FROM generate_series(1, 50000) g");
        var target = await scenario.CountAsync("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint");

        var deadline = DateTime.UtcNow.AddSeconds(60);
        long confirmed;
        while ((confirmed = await scenario.CountAsync(
            $"SELECT COALESCE(max(confirmed_flush_lsn - '0/0'::pg_lsn), 0)::bigint FROM pg_replication_slots WHERE slot_name = '{scenario.Settings(true, false)["Cdc:SlotName"]}'")) < target
            && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        Assert.True(confirmed >= target, $"the slot confirmed {confirmed}, behind the WAL written at {target}");
    }
}
