using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using ToxicFunctions.Csv;
using ToxicFunctions.Database;
using ToxicFunctions.Ingestion;
using ToxicFunctions.Storage;

namespace ToxicFunctions.Bench;

/// <summary>
/// <c>./bench.sh cdc [seconds] [events_per_s] [backlog]</c>: inserts real comments into source.comments at a steady rate
/// (60 s at 6,000 events/s by default), then a burst (30,000 as fast as the client writes them), while the local host (a
/// separate process running the relay and the Kafka trigger, in the configuration <c>./run.sh</c> gives: the encoder
/// worker on) streams them into staging. Before the stream starts, a batch load stages <c>backlog</c> distinct comments
/// (100,000 by default) that have no encoder features yet, so the encoder works through them during the measurement.
/// Latency is commit -> visible per event, from PostgreSQL's own commit timestamps (track_commit_timestamp) of the
/// source row and of the staging row. lost = source rows never applied to staging; duplicated = changes applied more
/// than once (staging rows inserted beyond one per source row, plus rows updated, from PostgreSQL's table statistics:
/// the bench only inserts, so each row takes exactly one change); gaps = offset gaps the consumer recorded.
/// </summary>
internal static class CdcBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 60;
        var rate = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 6000;
        var backlog = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100_000;
        const int burst = 30_000;
        const string database = "toxic_bench_cdc";
        await DropDatabaseAsync(database);
        await using var services = await BenchServices.CreateAsync(database);
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        if (await ScalarAsync<string>(dataSource, "SHOW track_commit_timestamp") != "on")
        {
            Console.Error.WriteLine("cdc: PostgreSQL needs track_commit_timestamp = on (scripts/services.sh sets it; restart with down/up)");
            return 1;
        }

        var texts = await LoadTextsAsync(dataSource);
        if (backlog > 0)
        {
            await StageBacklogAsync(services, dataSource, backlog);
        }
        var name = $"benchcdc{DateTime.UtcNow:HHmmss}";
        using var host = StartLocalHost(services.GetRequiredService<IOptions<PostgresOptions>>().Value.ConnectionString, name);
        try
        {
            await WaitForRelayAsync(dataSource, $"slot_{name}");

            // Warm-up: the topic appears with the relay's first event, and the consumer joins its group after that; the
            // measurement starts once one comment has gone all the way, as in a deployment that is already running.
            await InsertAsync(dataSource, texts, 0, 1);
            var inserted = 1L;
            var warm = Stopwatch.StartNew();
            while (await ScalarAsync<long>(dataSource, "SELECT count(*) FROM staging.stream_comments") == 0)
            {
                if (warm.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new TimeoutException("the first comment did not reach staging within 60 s");
                }

                await Task.Delay(50);
            }

            Console.WriteLine($"warm-up: the first comment reached staging after {warm.Elapsed.TotalSeconds:F1} s (the topic and the consumer's group join)");
            Console.WriteLine($"local host up (pid {host.Id}); inserting {rate:N0} comments/s for {seconds} s, then a burst of {burst:N0}");
            var encodedBefore = await ScalarAsync<long>(dataSource, "SELECT count(*) FROM ml.comment_encodings");

            var measureFrom = await ScalarAsync<DateTime>(dataSource, "SELECT clock_timestamp()");
            var stopwatch = Stopwatch.StartNew();
            var ticks = seconds * 10;
            for (var tick = 0; tick < ticks; tick++)
            {
                var count = (int)((long)rate * (tick + 1) / 10 - (long)rate * tick / 10);
                await InsertAsync(dataSource, texts, inserted, count);
                inserted += count;
                var due = TimeSpan.FromMilliseconds(100 * (tick + 1)) - stopwatch.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due);
                }
            }

            // The burst: application traffic spikes, 30,000 comments as fast as the client can write them (100 per transaction).
            var steadySeconds = stopwatch.Elapsed.TotalSeconds;
            var burstClock = Stopwatch.StartNew();
            for (var written = 0; written < burst; written += 100)
            {
                await InsertAsync(dataSource, texts, inserted, 100);
                inserted += 100;
            }

            Console.WriteLine($"burst: {burst:N0} comments written in {burstClock.Elapsed.TotalSeconds:F1} s ({burst / burstClock.Elapsed.TotalSeconds:F0}/s)");

            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (await ScalarAsync<long>(dataSource, "SELECT count(*) FROM staging.stream_comments") < inserted && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }

            await PrintPhasesAsync(dataSource, measureFrom, steadySeconds);
            var encodedDuring = await ScalarAsync<long>(dataSource, "SELECT count(*) FROM ml.comment_encodings") - encodedBefore;
            var (events, spanSeconds, p50, p99, max, lost, steadyPerSecond) = await MeasureAsync(dataSource, measureFrom, steadySeconds);
            var duplicated = await CountDuplicatesAsync(dataSource, await ScalarAsync<long>(dataSource, "SELECT count(*) FROM staging.stream_comments"));
            var gaps = await ScalarAsync<long>(dataSource, "SELECT count(*) FROM staging.stream_offset_gaps");
            var marks = Watermarks($"{name}.source.comments");
            var topicEvents = marks.Sum(m => m.High.Value);
            var maxLag = await ScalarAsync<long>(
                dataSource,
                """
                WITH t AS (
                    SELECT pg_xact_commit_timestamp(xmin) AS at, 1 AS written, 0 AS applied FROM source.comments
                    UNION ALL
                    SELECT pg_xact_commit_timestamp(xmin), 0, 1 FROM staging.stream_comments)
                SELECT coalesce(max(lag), 0)::bigint FROM (
                    SELECT sum(written - applied) OVER (ORDER BY at, applied ROWS UNBOUNDED PRECEDING) AS lag FROM t) l
                """);
            Console.WriteLine($"consumer lag: at most {maxLag:N0} events; {RetentionWindow(marks)}");
            Console.WriteLine($"steady phase: {steadyPerSecond:F0} events/s applied; whole run incl. burst: {events / spanSeconds:F0} events/s; max latency {max:F0} ms");
            Console.WriteLine($"topic: {topicEvents:N0} events; encoder worker: {encodedDuring:N0} comments encoded during the run ({backlog:N0} staged as backlog before it)");
            Console.WriteLine(FormattableString.Invariant(
                $"cdc events={events} events_per_s={steadyPerSecond:F0} p50_ms={p50:F0} p99_ms={p99:F0} lost={lost} duplicated={duplicated} gaps={gaps}"));
            return 0;
        }
        finally
        {
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync();
            await ExecuteAsync(dataSource, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = @slot", ("slot", $"slot_{name}"));
        }
    }

    private static async Task<(long Events, double SpanSeconds, double P50, double P99, double Max, long Lost, double SteadyPerSecond)> MeasureAsync(
        NpgsqlDataSource dataSource, DateTime from, double steadySeconds)
    {
        await using var command = dataSource.CreateCommand(
            """
            WITH latency AS (
                SELECT pg_xact_commit_timestamp(s.xmin) AS committed,
                       extract(epoch FROM pg_xact_commit_timestamp(t.xmin) - pg_xact_commit_timestamp(s.xmin)) * 1000 AS ms
                FROM source.comments s JOIN staging.stream_comments t ON t.source_id = s.id
                WHERE pg_xact_commit_timestamp(s.xmin) >= @from)
            SELECT count(*),
                   extract(epoch FROM max(committed + ms * interval '1 ms') - @from),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY ms),
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY ms),
                   max(ms),
                   (SELECT count(*) FROM source.comments s WHERE NOT EXISTS (SELECT FROM staging.stream_comments t WHERE t.source_id = s.id)),
                   count(*) FILTER (WHERE committed + ms * interval '1 ms' <= @from + @steady * interval '1 s')
            FROM latency
            """);
        command.Parameters.AddWithValue("steady", steadySeconds);
        command.Parameters.AddWithValue("from", from);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var events = reader.GetInt64(0);
        return (events, reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4), reader.GetInt64(5), reader.GetInt64(6) / steadySeconds);
    }

    /// <summary>Latency of the steady phase and of the burst apart, by source commit time.</summary>
    private static async Task PrintPhasesAsync(NpgsqlDataSource dataSource, DateTime from, double steadySeconds)
    {
        await using var command = dataSource.CreateCommand(
            """
            WITH latency AS (
                SELECT pg_xact_commit_timestamp(s.xmin) AS committed,
                       extract(epoch FROM pg_xact_commit_timestamp(t.xmin) - pg_xact_commit_timestamp(s.xmin)) * 1000 AS ms
                FROM source.comments s JOIN staging.stream_comments t ON t.source_id = s.id
                WHERE pg_xact_commit_timestamp(s.xmin) >= @from),
            phased AS (
                SELECT committed > @from + @steady * interval '1 s' AS burst, ms FROM latency)
            SELECT burst, count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), percentile_cont(0.99) WITHIN GROUP (ORDER BY ms), max(ms)
            FROM phased GROUP BY burst ORDER BY burst
            """);
        command.Parameters.AddWithValue("steady", steadySeconds);
        command.Parameters.AddWithValue("from", from);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            Console.WriteLine(FormattableString.Invariant(
                $"{(reader.GetBoolean(0) ? "burst" : "steady")}: {reader.GetInt64(1):N0} events, p50 {reader.GetDouble(2):F0} ms, p99 {reader.GetDouble(3):F0} ms, max {reader.GetDouble(4):F0} ms"));
        }
    }

    /// <summary>
    /// Changes applied more than once: the bench inserts each source row once, so staging must insert each row once and
    /// update none. PostgreSQL's table statistics count both; they reach the statistics a moment after the writing
    /// transactions, so this waits until they cover every applied row (at most 30 s).
    /// </summary>
    private static async Task<long> CountDuplicatesAsync(NpgsqlDataSource dataSource, long applied)
    {
        const string Sql = "SELECT n_tup_ins, n_tup_upd FROM pg_stat_user_tables WHERE schemaname = 'staging' AND relname = 'stream_comments'";
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var command = dataSource.CreateCommand(Sql);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            var (inserted, updated) = (reader.GetInt64(0), reader.GetInt64(1));
            if (inserted + updated >= applied || DateTime.UtcNow > deadline)
            {
                return Math.Max(0, inserted - applied) + updated;
            }

            await Task.Delay(500);
        }
    }

    /// <summary>Stages <paramref name="count"/> distinct real comments through batch ingestion: work for the encoder.</summary>
    private static async Task StageBacklogAsync(IServiceProvider services, NpgsqlDataSource dataSource, int count)
    {
        var clock = Stopwatch.StartNew();
        var csv = new StringBuilder("comment_text,labels\n");
        await using (var command = dataSource.CreateCommand(
            "SELECT t.comment_text || ' (backlog ' || g || ')', t.labels FROM generate_series(0, @count - 1) g JOIN public.bench_texts t ON t.i = g % (SELECT count(*) FROM public.bench_texts)"))
        {
            command.Parameters.AddWithValue("count", count);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                csv.Append('"').Append(reader.GetString(0).Replace("\"", "\"\"", StringComparison.Ordinal)).Append("\",").Append(reader.GetInt16(1)).Append('\n');
            }
        }

        var bytes = Encoding.UTF8.GetBytes(csv.ToString());
        var reference = new ObjectRef("file", "bench", "cdc-backlog.csv", Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length);
        await using var obj = new RawObject(reference, new MemoryStream(bytes));
        var result = await services.GetRequiredService<BatchIngestService>().IngestAsync(obj);
        Console.WriteLine($"backlog: {result.RowsLoaded:N0} distinct comments staged without encoder features in {clock.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>The low and high watermarks of every partition of <paramref name="topic"/>.</summary>
    private static List<WatermarkOffsets> Watermarks(string topic)
    {
        var bootstrap = Environment.GetEnvironmentVariable("Kafka__BootstrapServers") ?? "127.0.0.1:9092";
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "bench-count" }).Build();
        return admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions
            .Select(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p.PartitionId), TimeSpan.FromSeconds(10)))
            .ToList();
    }

    /// <summary>What the broker keeps: per partition, how many of the newest events survive its retention.</summary>
    private static string RetentionWindow(List<WatermarkOffsets> marks)
    {
        var full = marks.Where(m => m.Low.Value > 0).Select(m => m.High.Value - m.Low.Value).ToList();
        return full.Count == 0
            ? $"the broker still holds every event ({marks.Count} partitions)"
            : $"the broker keeps the newest {full.Min():N0}-{full.Max():N0} events of each of its {marks.Count} partitions ({marks.Count * full.Min():N0} events at least)";
    }

    private static Process StartLocalHost(string connectionString, string name)
    {
        var dll = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "tools", "Toxic.LocalHost", "bin", "Release", "net10.0", "toxic-localhost.dll"));
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                dll, $"--Postgres:ConnectionString={connectionString}", "--LocalHost:Urls=http://127.0.0.1:7098",
                "--LocalHost:BlobTrigger:Enabled=false", $"--Cdc:SlotName=slot_{name}", $"--Cdc:TopicPrefix={name}",
                $"--Kafka:Topic={name}.source.comments", $"--Kafka:ConsumerGroup=group_{name}", "--Logging:LogLevel:Default=Warning",
            },
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the local host");
    }

    private static async Task WaitForRelayAsync(NpgsqlDataSource dataSource, string slot)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await ScalarAsync<long>(dataSource, "SELECT count(*) FROM staging.cdc_relays r JOIN pg_replication_slots s USING (slot_name) WHERE r.slot_name = @slot AND s.active", ("slot", slot)) == 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the relay did not start");
            }

            await Task.Delay(100);
        }
    }

    private static async Task<int> LoadTextsAsync(NpgsqlDataSource dataSource)
    {
        var path = BenchData.SamplePath();
        var records = path is null
            ? Enumerable.Range(0, 10_000).Select(i => new CommentRecord(i + 2, $"generated comment {i} about the article", (short)(i % 10 == 0 ? 1 : 0))).ToList()
            : (await CommentCsvReader.ReadFileAsync(path)).Records;
        await ExecuteAsync(dataSource, "CREATE TABLE IF NOT EXISTS public.bench_texts (i integer PRIMARY KEY, comment_text text NOT NULL, labels smallint NOT NULL)");
        await ExecuteAsync(dataSource, "TRUNCATE public.bench_texts");
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var importer = await connection.BeginBinaryImportAsync("COPY public.bench_texts FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < records.Count; i++)
            {
                await importer.StartRowAsync();
                await importer.WriteAsync(i, NpgsqlDbType.Integer);
                await importer.WriteAsync(records[i].Text, NpgsqlDbType.Text);
                await importer.WriteAsync(records[i].Label, NpgsqlDbType.Smallint);
            }

            await importer.CompleteAsync();
        }

        return records.Count;
    }

    private static Task InsertAsync(NpgsqlDataSource dataSource, int texts, long from, int count) =>
        ExecuteAsync(
            dataSource,
            "INSERT INTO source.comments (comment_text, labels) SELECT t.comment_text, t.labels FROM generate_series(@from, @to) g JOIN public.bench_texts t ON t.i = g % @texts",
            ("from", from), ("to", from + count - 1), ("texts", (long)texts));

    private static async Task DropDatabaseAsync(string database)
    {
        var admin = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("Postgres__ConnectionString")
            ?? LocalDevelopmentSettings.Values["Postgres:ConnectionString"])
        { Database = "postgres", Pooling = false };
        await using var dataSource = NpgsqlDataSource.Create(admin.ConnectionString);
        await ExecuteAsync(dataSource, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = @db AND NOT active", ("db", database));
        if (await ScalarAsync<bool>(dataSource, "SELECT EXISTS (SELECT FROM pg_database WHERE datname = @db)", ("db", database)))
        {
            await ExecuteAsync(dataSource, $"DROP DATABASE \"{database}\" WITH (FORCE)");
        }
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var (parameter, value) in parameters)
        {
            command.Parameters.AddWithValue(parameter, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var (parameter, value) in parameters)
        {
            command.Parameters.AddWithValue(parameter, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }
}
