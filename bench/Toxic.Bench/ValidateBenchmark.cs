using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ToxicFunctions.Ingestion;
using ToxicFunctions.Quality;
using ToxicFunctions.Storage;

namespace ToxicFunctions.Bench;

/// <summary>
/// <c>./bench.sh validate [rows] [rounds]</c>: the staging suite on 1,000,000 staging rows (text_comment_1.csv ingested
/// once, then multiplied inside PostgreSQL with new ids), end to end as the Validate activity runs it: evaluation,
/// results into ml, JSON and HTML reports into S3. Reports the median of the rounds.
/// </summary>
internal static class ValidateBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        await using var services = await BenchServices.CreateAsync("toxic_bench_validate");
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();

        var staged = await ScalarAsync(dataSource, "SELECT count(*) FROM staging.all_comments");
        if (staged != rows)
        {
            var stopwatch = Stopwatch.StartNew();
            await StageAsync(services, dataSource, rows);
            Console.WriteLine($"staged {rows:N0} rows in {stopwatch.Elapsed.TotalSeconds:F1} s");
        }
        else
        {
            Console.WriteLine($"staging already holds {rows:N0} rows");
        }

        var validation = services.GetRequiredService<ValidationService>();
        var suite = SuiteLoader.LoadEmbedded(ValidationService.StagingSuite);
        var seconds = new List<double>();
        ValidationReport? report = null;
        for (var round = 1; round <= rounds; round++)
        {
            var stopwatch = Stopwatch.StartNew();
            report = await validation.RunAsync(suite);
            seconds.Add(stopwatch.Elapsed.TotalSeconds);
            Console.WriteLine($"round {round}: {seconds[^1]:F2} s, {report.Status.ToString().ToLowerInvariant()}, {report.Evaluated} expectations, report {report.ReportHtmlUri}");
        }

        foreach (var r in report!.Results)
        {
            Console.WriteLine($"  {(r.Passed ? "pass" : "FAIL"),-4} {r.Id,-24} {r.Detail}");
        }

        var median = seconds.Order().ElementAt(seconds.Count / 2);
        Console.WriteLine(FormattableString.Invariant(
            $"validate rows={rows} seconds={median:F2} expectations={report.Evaluated} status={report.Status.ToString().ToLowerInvariant()} rows_per_s={rows / median:F0}"));
        return 0;
    }

    // One real ingest of the sample file, then copies of its rows (new ids and line numbers) made by PostgreSQL itself.
    private static async Task StageAsync(IServiceProvider services, NpgsqlDataSource dataSource, long rows)
    {
        await ExecuteAsync(dataSource, "TRUNCATE staging.comments, staging.rejected_records, staging.loads, staging.stream_comments");
        var file = Path.Combine(Path.GetTempPath(), "toxic-bench-validate.csv");
        var seedRows = BenchData.WriteRepeatedCsv(file, minRows: 1, minBytes: 0);
        long loadId;
        await using (var obj = new RawObject(new ObjectRef("file", "bench", "validate.csv", "v1", new FileInfo(file).Length), File.OpenRead(file)))
        {
            var result = await services.GetRequiredService<BatchIngestService>().IngestAsync(obj);
            loadId = result.LoadId;
        }

        File.Delete(file);
        var copies = (rows + seedRows - 1) / seedRows;
        await using (var command = dataSource.CreateCommand(
            """
            INSERT INTO staging.comments (load_id, line_number, id, comment_text, labels, input_ids, loaded_at)
            SELECT c.load_id, c.line_number + g::bigint * 1000000000, gen_random_uuid(), c.comment_text, c.labels, c.input_ids, c.loaded_at
            FROM staging.comments c, generate_series(1, $2::int - 1) AS g
            WHERE c.load_id = $1
            """))
        {
            command.CommandTimeout = 0;
            command.Parameters.Add(new NpgsqlParameter { Value = loadId });
            command.Parameters.Add(new NpgsqlParameter { Value = (int)copies });
            await command.ExecuteNonQueryAsync();
        }

        await using (var trim = dataSource.CreateCommand(
            "DELETE FROM staging.comments WHERE ctid IN (SELECT ctid FROM staging.comments ORDER BY line_number DESC LIMIT (SELECT count(*) - $1 FROM staging.comments))"))
        {
            trim.Parameters.Add(new NpgsqlParameter { Value = rows });
            await trim.ExecuteNonQueryAsync();
        }

        await using (var update = dataSource.CreateCommand("UPDATE staging.loads SET rows_loaded = (SELECT count(*) FROM staging.comments) WHERE load_id = $1"))
        {
            update.Parameters.Add(new NpgsqlParameter { Value = loadId });
            await update.ExecuteNonQueryAsync();
        }

        await ExecuteAsync(dataSource, "VACUUM ANALYZE staging.comments");
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }
}
