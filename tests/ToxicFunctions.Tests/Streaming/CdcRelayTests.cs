using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moq;
using Npgsql;
using ToxicFunctions.Streaming;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Streaming;

/// <summary>
/// The CDC relay on the real PostgreSQL with a recording Kafka producer in place of a broker: which events it
/// produces for each kind of change, at which positions, and what it confirms to PostgreSQL as Kafka acknowledges them.
/// </summary>
public sealed class CdcRelayTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Insert_update_and_delete_give_c_u_d_events_keyed_by_id_at_their_positions_and_a_tombstone_after_the_delete()
    {
        await CleanAsync();
        var producer = new RecordingProducer();
        await using var relay = await RelayRun.StartAsync(database, producer);

        var insert = await ChangeAsync("INSERT INTO source.comments (comment_text, labels) VALUES ('first words', 0) RETURNING id");
        var id = (Guid)insert.Result!;
        var update = await ChangeAsync("UPDATE source.comments SET comment_text = 'second words', labels = 1 WHERE id = @id", id);
        var delete = await ChangeAsync("DELETE FROM source.comments WHERE id = @id", id);

        var events = await producer.WaitForAsync(m => m.Count >= 4);
        Assert.Equal(4, events.Count);
        Assert.All(events, e => Assert.Equal(relay.Topic, e.Topic));
        Assert.All(events, e => Assert.Equal(id.ToString(), Json(e.Key).GetProperty("id").GetString()));
        Assert.Null(events[3].Value); // the tombstone, with the delete's key

        var (c, u, d) = (Json(events[0].Value), Json(events[1].Value), Json(events[2].Value));
        Assert.Equal(["c", "u", "d"], new[] { c, u, d }.Select(e => e.GetProperty("op").GetString()));
        AssertSource(c, insert, relay);
        AssertSource(u, update, relay);
        AssertSource(d, delete, relay);

        Assert.Equal(JsonValueKind.Null, c.GetProperty("before").ValueKind);
        Assert.Equal("first words", c.GetProperty("after").GetProperty("comment_text").GetString());
        Assert.Equal(0, c.GetProperty("after").GetProperty("labels").GetInt32());
        Assert.Equal("first words", u.GetProperty("before").GetProperty("comment_text").GetString()); // REPLICA IDENTITY FULL
        Assert.Equal("second words", u.GetProperty("after").GetProperty("comment_text").GetString());
        Assert.Equal(1, u.GetProperty("after").GetProperty("labels").GetInt32());
        Assert.Equal("second words", d.GetProperty("before").GetProperty("comment_text").GetString());
        Assert.Equal(JsonValueKind.Null, d.GetProperty("after").ValueKind);
    }

    [Fact]
    public async Task Truncate_gives_one_t_event_with_a_null_key_and_the_confirmed_position_passes_it_once_kafka_holds_it()
    {
        await CleanAsync();
        await database.ExecuteAsync("INSERT INTO source.comments (comment_text, labels) VALUES ('to be truncated', 1)");
        var producer = new RecordingProducer();
        await using var relay = await RelayRun.StartAsync(database, producer);
        Assert.Single(await producer.WaitForAsync(m => m.Count >= 1)); // the snapshot row

        producer.Mode = DeliveryMode.Hold;
        var truncate = await ChangeAsync("TRUNCATE source.comments");
        var events = await producer.WaitForAsync(m => m.Count >= 2);
        await Task.Delay(500); // nothing follows it: no tombstone
        events = producer.Messages;
        Assert.Equal(2, events.Count);
        var (key, value) = (events[1].Key, Json(events[1].Value));
        Assert.Equal(relay.Topic, events[1].Topic);
        Assert.Null(key);
        Assert.Equal("t", value.GetProperty("op").GetString());
        Assert.Equal(JsonValueKind.Null, value.GetProperty("before").ValueKind);
        Assert.Equal(JsonValueKind.Null, value.GetProperty("after").ValueKind);
        Assert.Equal(JsonValueKind.Null, value.GetProperty("transaction").ValueKind);
        AssertSource(value, truncate, relay);

        // Kafka has not acknowledged it yet: the slot stays where PostgreSQL would send the truncate again.
        await Task.Delay(RelayRun.StatusInterval * 5);
        Assert.True(await relay.ConfirmedAsync() <= CommitLsn(value), "the relay confirmed a truncate Kafka had not acknowledged");

        producer.Release();
        var deadline = DateTime.UtcNow + s_wait;
        while (await relay.ConfirmedAsync() < truncate.After && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(await relay.ConfirmedAsync() >= truncate.After, "the confirmed position did not pass the acknowledged truncate");
    }

    [Fact]
    public async Task An_unchanged_toasted_text_without_an_old_row_is_written_as_the_unavailable_value_placeholder()
    {
        await CleanAsync();
        await database.ExecuteAsync("ALTER TABLE source.comments REPLICA IDENTITY DEFAULT");
        try
        {
            // 22 KB of hex digits: compressed, still far over the 2 KB TOAST threshold, so stored out of line.
            var id = await database.ScalarAsync<Guid>(
                "INSERT INTO source.comments (comment_text, labels) SELECT string_agg(md5(random()::text), ''), 0 FROM generate_series(1, 700) RETURNING id");
            var producer = new RecordingProducer();
            await using var relay = await RelayRun.StartAsync(database, producer);
            await producer.WaitForAsync(m => m.Count >= 1);

            await ChangeAsync("UPDATE source.comments SET labels = 1 WHERE id = @id", id);
            var events = await producer.WaitForAsync(m => m.Count >= 2);

            var update = Json(events[1].Value);
            Assert.Equal("u", update.GetProperty("op").GetString());
            Assert.Equal(JsonValueKind.Null, update.GetProperty("before").ValueKind);
            var after = update.GetProperty("after");
            Assert.Equal(id.ToString(), after.GetProperty("id").GetString());
            Assert.Equal(1, after.GetProperty("labels").GetInt32());
            Assert.Equal(CdcOptions.DefaultUnavailableValuePlaceholder, after.GetProperty("comment_text").GetString());
            Assert.Equal(22_400, Json(events[0].Value).GetProperty("after").GetProperty("comment_text").GetString()!.Length);
        }
        finally
        {
            await database.ExecuteAsync("ALTER TABLE source.comments REPLICA IDENTITY FULL");
        }
    }

    [Fact]
    public async Task Resnapshot_drops_the_slot_and_the_next_start_emits_a_truncate_then_the_rows_at_the_consistent_point()
    {
        await CleanAsync();
        await database.ExecuteAsync("INSERT INTO source.comments (comment_text, labels) SELECT 'row ' || g, g % 2 FROM generate_series(1, 3) g");
        var first = new RecordingProducer();
        var relay = await RelayRun.StartAsync(database, first);
        var snapshot = await first.WaitForAsync(m => m.Count >= 3);
        Assert.All(snapshot, e => Assert.Equal("r", Json(e.Value).GetProperty("op").GetString())); // a first snapshot: no truncate

        // A running relay holds the slot: nothing changes.
        var refused = await ToxicCli.RunAsync(["cdc-relay", "--resnapshot"], environment: relay.CliEnvironment);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("in use by a running relay", refused.Errors, StringComparison.Ordinal);
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM staging.cdc_relays WHERE slot_name = @slot", relay.Slot));

        await relay.DisposeAsync();
        await WaitForInactiveSlotAsync(relay.Slot);
        await database.ExecuteAsync("DELETE FROM source.comments WHERE comment_text = 'row 2'");
        await database.ExecuteAsync("INSERT INTO source.comments (comment_text, labels) VALUES ('row 4', 0)");
        var reset = await ToxicCli.RunAsync(["cdc-relay", "--resnapshot"], environment: relay.CliEnvironment);
        Assert.True(reset.ExitCode == 0, reset.Errors);
        Assert.Contains($"slot {relay.Slot} dropped", reset.Output, StringComparison.Ordinal);
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM pg_replication_slots WHERE slot_name = @slot", relay.Slot));
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM staging.cdc_relays WHERE slot_name = @slot", relay.Slot));
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM staging.cdc_relay_resnapshots WHERE slot_name = @slot", relay.Slot));

        var second = new RecordingProducer();
        await using var restarted = await RelayRun.StartAsync(database, second, relay.Slot);
        var events = await second.WaitForAsync(m => m.Count >= 4);
        var consistentPoint = await database.ScalarAsync<long>(
            "SELECT (snapshot_lsn - '0/0'::pg_lsn)::bigint FROM staging.cdc_relays WHERE slot_name = @slot", ("slot", relay.Slot));
        Assert.Equal(4, events.Count);
        Assert.Null(events[0].Key);
        Assert.Equal(["t", "r", "r", "r"], events.Select(e => Json(e.Value).GetProperty("op").GetString()));
        Assert.Equal(
            ["row 1", "row 3", "row 4"],
            events.Skip(1).Select(e => Json(e.Value).GetProperty("after").GetProperty("comment_text").GetString()).Order());
        foreach (var e in events)
        {
            var source = Json(e.Value).GetProperty("source");
            Assert.Equal("true", source.GetProperty("snapshot").GetString());
            Assert.Equal(consistentPoint, source.GetProperty("lsn").GetInt64());
            Assert.Equal($"[\"{consistentPoint}\",\"{consistentPoint}\"]", source.GetProperty("sequence").GetString());
            Assert.Equal("comments", source.GetProperty("table").GetString());
        }

        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM staging.cdc_relay_resnapshots WHERE slot_name = @slot", relay.Slot));
    }

    [Fact]
    public async Task A_slot_that_vanished_after_its_snapshot_is_replaced_by_a_repair_snapshot()
    {
        await CleanAsync();
        await database.ExecuteAsync("INSERT INTO source.comments (comment_text, labels) VALUES ('kept', 0)");
        var relay = await RelayRun.StartAsync(database, new RecordingProducer());
        await relay.DisposeAsync();
        await WaitForInactiveSlotAsync(relay.Slot);
        await database.ScalarAsync<object>("SELECT pg_drop_replication_slot(@slot)::text", ("slot", relay.Slot)); // changes since are lost

        var producer = new RecordingProducer();
        await using var restarted = await RelayRun.StartAsync(database, producer, relay.Slot);

        Assert.Equal(["t", "r"], (await producer.WaitForAsync(m => m.Count >= 2)).Select(e => Json(e.Value).GetProperty("op").GetString()));
    }

    [Fact]
    public async Task Creating_the_slot_waits_for_a_transaction_in_progress_longer_than_the_command_timeout()
    {
        await CleanAsync();

        // PostgreSQL sets a new slot's consistent point once every transaction running at that moment has ended, in any
        // database: a long batch load elsewhere delays the relay's start, which must not fail on the command timeout.
        await using var writer = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await writer.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand("INSERT INTO source.comments (comment_text, labels) VALUES ('committed late', 1)", writer, transaction))
        {
            await insert.ExecuteNonQueryAsync();
        }

        var shortTimeout = new NpgsqlConnectionStringBuilder(database.ConnectionString) { CommandTimeout = 1 }.ConnectionString;
        var producer = new RecordingProducer();
        var starting = RelayRun.StartAsync(database, producer, connectionString: shortTimeout);
        await Task.Delay(TimeSpan.FromSeconds(4)); // four command timeouts
        Assert.False(starting.IsCompleted, $"the relay started, or stopped, while a transaction that began before its slot was running: {starting.Exception?.InnerException}");

        await transaction.CommitAsync();
        await using var relay = await starting;
        var snapshot = Assert.Single(await producer.WaitForAsync(m => m.Count >= 1));
        Assert.Equal("committed late", Json(snapshot.Value).GetProperty("after").GetProperty("comment_text").GetString());
    }

    [Fact]
    public async Task A_delivery_failure_stops_the_relay_without_confirming_the_failed_change()
    {
        await CleanAsync();
        var producer = new RecordingProducer();
        var relay = await RelayRun.StartAsync(database, producer);
        try
        {
            producer.Mode = DeliveryMode.Fail;
            await ChangeAsync("INSERT INTO source.comments (comment_text, labels) VALUES ('never delivered', 0)");

            var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => relay.Run.WaitAsync(s_wait));
            var rejected = Assert.IsType<KafkaException>(failure.InnerException);
            Assert.Equal(ErrorCode.MsgSizeTooLarge, rejected.Error.Code);
            var create = Json(Assert.Single(producer.Messages).Value);
            Assert.True(await relay.ConfirmedAsync() <= CommitLsn(create), "the relay confirmed a change Kafka rejected");
        }
        finally
        {
            await relay.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_truncate_event_has_no_rows_the_source_block_and_the_tables_envelope_schema(bool includeSchema)
    {
        var table = new CapturedTable(
            "source", "comments", [new("id", 2950), new("comment_text", 25), new("labels", 21), new("created_at", 1184)], [0]);
        var writer = new DebeziumEventWriter("toxic", "toxicdb", includeSchema);
        var source = new ChangeSource(41002048, 41000768, 88310, DateTimeOffset.FromUnixTimeMilliseconds(1796031070048), "false");

        using var truncate = JsonDocument.Parse(writer.Value(table, 't', null, null, source));
        using var create = JsonDocument.Parse(writer.Value(table, 'c', null, ["0b7f6c1e-55a4-4a7e-9d8e-1f2a3b4c5d6e", "x", "1", "2026-11-26 01:02:03+00"], source));

        var payload = includeSchema ? truncate.RootElement.GetProperty("payload") : truncate.RootElement;
        Assert.Equal("t", payload.GetProperty("op").GetString());
        Assert.Equal(JsonValueKind.Null, payload.GetProperty("before").ValueKind);
        Assert.Equal(JsonValueKind.Null, payload.GetProperty("after").ValueKind);
        Assert.Equal(JsonValueKind.Null, payload.GetProperty("transaction").ValueKind);
        Assert.True(payload.GetProperty("ts_ms").GetInt64() > 0);
        var block = payload.GetProperty("source");
        Assert.Equal(41002048, block.GetProperty("lsn").GetInt64());
        Assert.Equal("[\"41000768\",\"41002048\"]", block.GetProperty("sequence").GetString());
        Assert.Equal(88310, block.GetProperty("txId").GetInt64());
        Assert.Equal(1796031070048, block.GetProperty("ts_ms").GetInt64());
        Assert.Equal("false", block.GetProperty("snapshot").GetString());
        Assert.Equal(("toxic", "toxicdb", "source", "comments"), (
            block.GetProperty("name").GetString(), block.GetProperty("db").GetString(),
            block.GetProperty("schema").GetString(), block.GetProperty("table").GetString()));
        Assert.Equal(includeSchema, truncate.RootElement.TryGetProperty("schema", out var schema));
        if (includeSchema)
        {
            Assert.Equal("toxic.source.comments.Envelope", schema.GetProperty("name").GetString());
            Assert.Equal(create.RootElement.GetProperty("schema").GetRawText(), schema.GetRawText());
        }
    }

    [Theory]
    [InlineData(25u, true)] // text
    [InlineData(1043u, true)] // varchar
    [InlineData(3802u, true)] // jsonb
    [InlineData(1700u, true)] // numeric
    [InlineData(21u, false)] // int2
    [InlineData(16u, false)] // bool
    [InlineData(1184u, false)] // timestamptz
    public void Text_like_columns_are_those_written_as_their_text(uint typeOid, bool textLike) =>
        Assert.Equal(textLike, DebeziumEventWriter.IsTextLike(typeOid));

    [Fact]
    public void The_producer_compresses_with_zstd_unless_configured_otherwise()
    {
        var kafka = Options.Create(new KafkaOptions { BootstrapServers = "127.0.0.1:1" });
        Assert.Equal(CompressionType.Zstd, new CdcProducerFactory(kafka, Options.Create(new CdcOptions())).Config().CompressionType);

        using var services = database.CreateServices(new Dictionary<string, string?> { ["Cdc:CompressionType"] = "lz4" });
        var config = services.GetRequiredService<CdcProducerFactory>().Config();
        Assert.Equal(CompressionType.Lz4, config.CompressionType);
        Assert.True(config.EnableIdempotence);
        Assert.Equal(Acks.All, config.Acks);
    }

    private async Task CleanAsync()
    {
        // The class's tests share the database: each starts from an empty table, the slots of earlier ones go.
        await database.ExecuteAsync("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = current_database() AND NOT active");
        await database.ExecuteAsync("TRUNCATE source.comments");
    }

    /// <summary>Runs <paramref name="sql"/> in a transaction of its own, noting the WAL position before and after and its xid.</summary>
    private async Task<Change> ChangeAsync(string sql, Guid? id = null)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var before = await LsnAsync(connection);
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        if (id is { } value)
        {
            command.Parameters.AddWithValue("id", value);
        }

        var result = await command.ExecuteScalarAsync();
        await using var xid = new NpgsqlCommand("SELECT txid_current() % 4294967296", connection, transaction);
        var transactionId = (long)(await xid.ExecuteScalarAsync())!;
        await transaction.CommitAsync();
        return new Change(before, await LsnAsync(connection), transactionId, result);
    }

    private static async Task<ulong> LsnAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint", connection);
        return (ulong)(long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long> CountAsync(string sql, string slot) => await database.ScalarAsync<long>(sql, ("slot", slot));

    private async Task WaitForInactiveSlotAsync(string slot)
    {
        var deadline = DateTime.UtcNow + s_wait;
        while (await CountAsync("SELECT count(*) FROM pg_replication_slots WHERE slot_name = @slot AND active", slot) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"slot {slot} stayed active after its relay stopped");
            await Task.Delay(50);
        }
    }

    /// <summary>A streamed event's source block: its position within the change's WAL, its transaction, the table.</summary>
    private static void AssertSource(JsonElement value, Change change, RelayRun relay)
    {
        var source = value.GetProperty("source");
        var lsn = source.GetProperty("lsn").GetUInt64();
        var commit = CommitLsn(value);
        Assert.InRange(lsn, change.Before, change.After);
        Assert.InRange(commit, lsn, change.After);
        Assert.Equal($"[\"{commit}\",\"{lsn}\"]", source.GetProperty("sequence").GetString());
        Assert.Equal(change.TransactionId, source.GetProperty("txId").GetInt64());
        Assert.Equal("false", source.GetProperty("snapshot").GetString());
        Assert.Equal(relay.Prefix, source.GetProperty("name").GetString());
        Assert.Equal(new NpgsqlConnectionStringBuilder(relay.ConnectionString).Database, source.GetProperty("db").GetString());
        Assert.Equal(("source", "comments"), (source.GetProperty("schema").GetString(), source.GetProperty("table").GetString()));
    }

    /// <summary>The commit position of an event's transaction (the first of source.sequence).</summary>
    private static ulong CommitLsn(JsonElement value)
    {
        using var sequence = JsonDocument.Parse(value.GetProperty("source").GetProperty("sequence").GetString()!);
        return ulong.Parse(sequence.RootElement[0].GetString()!, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static JsonElement Json(byte[]? bytes)
    {
        Assert.NotNull(bytes);
        using var document = JsonDocument.Parse(bytes);
        return document.RootElement.Clone();
    }

    /// <summary>A change made by a test: WAL positions before and after its transaction, its xid, what its SQL returned.</summary>
    private sealed record Change(ulong Before, ulong After, long TransactionId, object? Result);

    /// <summary>A relay running on the test database with its own slot and topic prefix, until disposed.</summary>
    private sealed class RelayRun : IAsyncDisposable
    {
        public static readonly TimeSpan StatusInterval = TimeSpan.FromMilliseconds(100);

        private readonly ServiceProvider _services;
        private readonly CancellationTokenSource _stop = new();

        private RelayRun(TestDatabase database, RecordingProducer producer, string slot, string? connectionString)
        {
            Slot = slot;
            Prefix = slot;
            ConnectionString = database.ConnectionString;
            _services = TestDatabase.CreateServices(connectionString ?? database.ConnectionString, new Dictionary<string, string?>
            {
                ["Cdc:SlotName"] = Slot,
                ["Cdc:TopicPrefix"] = Prefix,
                ["Cdc:StatusInterval"] = StatusInterval.ToString(),
            });
            var relay = ActivatorUtilities.CreateInstance<CdcRelay>(_services, producer.Factory);
            Run = Task.Run(() => relay.RunAsync(_stop.Token));
        }

        public string Slot { get; }

        public string Prefix { get; }

        public string ConnectionString { get; }

        public string Topic => $"{Prefix}.source.comments";

        public Task Run { get; }

        /// <summary>The settings of <c>toxic cdc-relay</c> for this relay's database and slot.</summary>
        public Dictionary<string, string> CliEnvironment => new()
        {
            ["Postgres__ConnectionString"] = ConnectionString,
            ["Cdc__SlotName"] = Slot,
            ["Cdc__TopicPrefix"] = Prefix,
        };

        /// <summary>
        /// Starts a relay (on <paramref name="connectionString"/> when given, else the database's) and returns once its
        /// snapshot is in "Kafka" and its slot streams.
        /// </summary>
        public static async Task<RelayRun> StartAsync(
            TestDatabase database, RecordingProducer producer, string? slot = null, string? connectionString = null)
        {
            var run = new RelayRun(database, producer, slot ?? $"r{Guid.NewGuid():N}"[..16], connectionString);
            var deadline = DateTime.UtcNow + s_wait;
            while (await database.ScalarAsync<long>(
                "SELECT count(*) FROM staging.cdc_relays r JOIN pg_replication_slots s USING (slot_name) WHERE r.slot_name = @slot AND s.active",
                ("slot", run.Slot)) == 0)
            {
                if (run.Run.IsCompleted)
                {
                    await run.Run; // throws what stopped it
                }

                Assert.True(DateTime.UtcNow < deadline, "the relay did not start streaming");
                await Task.Delay(50);
            }

            return run;
        }

        /// <summary>The slot's confirmed_flush_lsn.</summary>
        public async Task<ulong> ConfirmedAsync()
        {
            await using var command = _services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
                "SELECT (confirmed_flush_lsn - '0/0'::pg_lsn)::bigint FROM pg_replication_slots WHERE slot_name = @slot");
            command.Parameters.AddWithValue("slot", Slot);
            return (ulong)(long)(await command.ExecuteScalarAsync())!;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await Run.WaitAsync(TimeSpan.FromSeconds(60));
            }
            catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
            {
            }

            await _services.DisposeAsync();
            _stop.Dispose();
        }
    }

    private enum DeliveryMode
    {
        /// <summary>Each message is acknowledged as it is produced.</summary>
        Deliver,

        /// <summary>Acknowledgements wait for <see cref="RecordingProducer.Release"/>.</summary>
        Hold,

        /// <summary>Each message is rejected (message too large).</summary>
        Fail,
    }

    /// <summary>A Kafka producer that records what the relay produces and reports deliveries as the test says.</summary>
    private sealed class RecordingProducer
    {
        private readonly Lock _lock = new();
        private readonly List<Produced> _messages = [];
        private readonly List<Action> _held = [];

        public RecordingProducer()
        {
            var producer = new Mock<IProducer<byte[]?, byte[]?>>();
            producer
                .Setup(p => p.Produce(It.IsAny<string>(), It.IsAny<Message<byte[]?, byte[]?>>(), It.IsAny<Action<DeliveryReport<byte[]?, byte[]?>>>()))
                .Callback<string, Message<byte[]?, byte[]?>, Action<DeliveryReport<byte[]?, byte[]?>>>(OnProduce);
            producer.Setup(p => p.Flush(It.IsAny<TimeSpan>())).Returns(() =>
            {
                lock (_lock)
                {
                    return _held.Count;
                }
            });
            var factory = new Mock<CdcProducerFactory>(Options.Create(new KafkaOptions()), Options.Create(new CdcOptions()));
            factory.Setup(f => f.Create()).Returns(producer.Object);
            Factory = factory.Object;
        }

        public CdcProducerFactory Factory { get; }

        public DeliveryMode Mode { get; set; }

        public List<Produced> Messages
        {
            get
            {
                lock (_lock)
                {
                    return [.. _messages];
                }
            }
        }

        /// <summary>Acknowledges the held messages.</summary>
        public void Release()
        {
            List<Action> held;
            lock (_lock)
            {
                held = [.. _held];
                _held.Clear();
                Mode = DeliveryMode.Deliver;
            }

            held.ForEach(deliver => deliver());
        }

        public async Task<List<Produced>> WaitForAsync(Func<List<Produced>, bool> done)
        {
            var deadline = DateTime.UtcNow + s_wait;
            while (!done(Messages))
            {
                Assert.True(DateTime.UtcNow < deadline, $"the relay produced {Messages.Count} messages: not what the test waits for");
                await Task.Delay(20);
            }

            return Messages;
        }

        private void OnProduce(string topic, Message<byte[]?, byte[]?> message, Action<DeliveryReport<byte[]?, byte[]?>> handler)
        {
            DeliveryReport<byte[]?, byte[]?> report;
            lock (_lock)
            {
                _messages.Add(new Produced(topic, message.Key, message.Value));
                var fail = Mode == DeliveryMode.Fail;
                report = new DeliveryReport<byte[]?, byte[]?>
                {
                    Topic = topic,
                    Message = message,
                    Error = new Error(fail ? ErrorCode.MsgSizeTooLarge : ErrorCode.NoError),
                    Status = fail ? PersistenceStatus.NotPersisted : PersistenceStatus.Persisted,
                };
                if (Mode == DeliveryMode.Hold)
                {
                    _held.Add(() => handler(report));
                    return;
                }
            }

            handler(report);
        }
    }

    private sealed record Produced(string Topic, byte[]? Key, byte[]? Value)
    {
        public override string ToString() => $"{Topic} {(Key is null ? "null" : Encoding.UTF8.GetString(Key))} {(Value is null ? "null" : Encoding.UTF8.GetString(Value))}";
    }
}
