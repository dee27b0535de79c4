using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ToxicFunctions.Ingestion;
using ToxicFunctions.Lake;
using ToxicFunctions.Storage;

namespace ToxicFunctions.Bench;

/// <summary>
/// <c>./bench.sh ingest</c>: text_comment_1.csv repeated to at least 100,000 rows, ingested from an S3 object into
/// staging (parse, tokenize, binary COPY, one transaction), against the physical floor of the same job: a plain
/// PostgreSQL <c>COPY ... (FORMAT csv)</c> of the same file, untokenized, into a plain table, in the same run. Each
/// round ingests twice: as a user gets it (the raw zone's Delta table on, a new table per round so every round appends
/// the whole object) and with the lake off, which shows what the append costs (issue 16: at most 20 %); the two go in
/// turn first. A warm-up round comes first and is printed but not counted: the first ingests of a process JIT-compile
/// the code of both paths (the lake's first appends took up to twice their later CPU), which a running host does once.
/// Figures are medians over the counted rounds (5 unless the first argument says otherwise); the CPU seconds by command
/// of each ingest show where the lake's cost goes (this process, radosgw and ceph-osd, postgres).
/// </summary>
internal static class IngestBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5;
        await using var services = await BenchServices.CreateAsync("toxic_bench");
        await using var lakeOff = await BenchServices.CreateAsync("toxic_bench", new Dictionary<string, string?> { ["Lake:TableUri"] = "" });
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        var objects = services.GetRequiredService<S3RawObjects>();
        var lakeUri = services.GetRequiredService<IConfiguration>()["Lake:TableUri"] ?? LakeOptions.DefaultTableUri;
        var ingestLakeOff = lakeOff.GetRequiredService<BatchIngestService>();

        var file = Path.Combine(Path.GetTempPath(), "toxic-bench-ingest.csv");
        var rows = BenchData.WriteRepeatedCsv(file, minRows: 100_000, minBytes: 0);
        var bytes = new FileInfo(file).Length;
        Console.WriteLine($"input: {rows:N0} rows, {bytes / 1e6:F1} MB ({(BenchData.SamplePath() is null ? "generated" : "text_comment_1.csv repeated")})");

        const string bucket = "bench";
        await objects.EnsureBucketAsync(bucket, default);

        await ExecuteAsync(dataSource, "CREATE TABLE IF NOT EXISTS public.bench_plain_copy (comment_text text, labels integer)");

        var ours = new List<double>();
        var off = new List<double>();
        var oursMachineCpu = new List<double>();
        var offMachineCpu = new List<double>();
        var peer = new List<double>();
        // As configured, into a table of this run's own; each round ingests the object under a key of its own, so that
        // it is new to the table (the services, their connections and clients stay, as in a running host).
        await using var lakeOn = await BenchServices.CreateAsync(
            "toxic_bench", new Dictionary<string, string?> { ["Lake:TableUri"] = $"{lakeUri.TrimEnd('/')}-bench-{DateTime.UtcNow:yyyyMMddHHmmss}" });
        for (var round = 0; round <= rounds; round++)
        {
            var key = $"ingest-{round}.csv";
            await using (var content = File.OpenRead(file))
            {
                await objects.UploadAsync(bucket, key, content, default);
            }

            // Lake on and lake off take turns going first.
            var lakeOnIngest = lakeOn.GetRequiredService<BatchIngestService>();
            Ingest lakeOnRun, lakeOffRun;
            if (round % 2 == 0)
            {
                lakeOnRun = await IngestAsync(lakeOnIngest, key);
                lakeOffRun = await IngestAsync(ingestLakeOff, key);
            }
            else
            {
                lakeOffRun = await IngestAsync(ingestLakeOff, key);
                lakeOnRun = await IngestAsync(lakeOnIngest, key);
            }

            var stopwatch = Stopwatch.StartNew();
            var copied = await PlainCopyAsync(dataSource, file);
            var copySeconds = stopwatch.Elapsed.TotalSeconds;
            if (copied != rows)
            {
                throw new InvalidOperationException($"plain COPY loaded {copied} of {rows} rows");
            }

            var name = round == 0 ? "warm-up round (not counted)" : $"round {round}";
            Console.WriteLine(
                $"{name}: ingest {lakeOnRun.Seconds:F2} s ({rows / lakeOnRun.Seconds:N0} rows/s, {lakeOnRun.ProcessCpu:F2} s CPU in this process, {lakeOnRun.MachineCpu:F2} s on the machine), "
                + $"lake off {lakeOffRun.Seconds:F2} s ({rows / lakeOffRun.Seconds:N0} rows/s, {lakeOffRun.MachineCpu:F2} s CPU on the machine), plain COPY {copySeconds:F2} s ({rows / copySeconds:N0} rows/s)");
            Console.WriteLine($"{name}: CPU seconds by command: ingest {lakeOnRun.ByCommand}; lake off {lakeOffRun.ByCommand}");
            if (round == 0)
            {
                continue;
            }

            ours.Add(lakeOnRun.Seconds);
            oursMachineCpu.Add(lakeOnRun.MachineCpu);
            off.Add(lakeOffRun.Seconds);
            offMachineCpu.Add(lakeOffRun.MachineCpu);
            peer.Add(copySeconds);
        }

        var oursRate = rows / Median(ours);
        var offRate = rows / Median(off);
        var peerRate = rows / Median(peer);
        Console.WriteLine(FormattableString.Invariant(
            $"ingest rows={rows} bytes={bytes} seconds={Median(ours):F2} rows_per_s={oursRate:F0} copy_rows_per_s={peerRate:F0} ratio={oursRate / peerRate:F2} lake_off_rows_per_s={offRate:F0} lake_off_ratio={offRate / peerRate:F2} lake_cost={oursRate / offRate:F2} machine_cpu_s={Median(oursMachineCpu):F2} lake_off_machine_cpu_s={Median(offMachineCpu):F2} cores={Environment.ProcessorCount}"));
        return 0;

        // One ingest: its wall time, the CPU seconds the whole machine spent meanwhile; and, over the ingest with its
        // truncate and checkpoints, this process's CPU seconds and every process's by command.
        async Task<Ingest> IngestAsync(BatchIngestService ingest, string key)
        {
            var processes = MachineCpu.ByProcess();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            await ExecuteAsync(dataSource, "TRUNCATE staging.comments, staging.rejected_records, staging.loads, public.bench_plain_copy");
            await ExecuteAsync(dataSource, "CHECKPOINT");
            var stopwatch = Stopwatch.StartNew();
            var machine = MachineCpu.BusySeconds();
            await using (var obj = await objects.OpenAsync(bucket, key, null, default))
            {
                var result = await ingest.IngestAsync(obj);
                if (result.Outcome != IngestOutcome.Loaded || result.RowsLoaded != rows)
                {
                    throw new InvalidOperationException($"ingest loaded {result.RowsLoaded} of {rows} rows ({result.Outcome}, {result.RowsRejected} rejected)");
                }
            }

            var seconds = stopwatch.Elapsed.TotalSeconds;
            var machineCpu = MachineCpu.BusySeconds() - machine;
            await ExecuteAsync(dataSource, "CHECKPOINT");
            return new Ingest(
                seconds, machineCpu, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds, MachineCpu.Difference(processes, MachineCpu.ByProcess()));
        }
    }

    private static async Task<long> PlainCopyAsync(NpgsqlDataSource dataSource, string file)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var copy = await connection.BeginTextImportAsync(
            "COPY public.bench_plain_copy (comment_text, labels) FROM STDIN (FORMAT csv, HEADER true)"))
        using (var input = new StreamReader(file))
        {
            var buffer = new char[1 << 16];
            int read;
            while ((read = await input.ReadAsync(buffer)) > 0)
            {
                await copy.WriteAsync(buffer.AsMemory(0, read));
            }
        }

        await using var count = new NpgsqlCommand("SELECT count(*) FROM public.bench_plain_copy", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private readonly record struct Ingest(double Seconds, double MachineCpu, double ProcessCpu, string ByCommand);
}
