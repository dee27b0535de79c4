using System.Globalization;
using System.Text.Json;
using ToxicFunctions.Quality.Expectations;

namespace ToxicFunctions.Quality;

/// <summary>
/// Runs a suite inside PostgreSQL: one scan per relation computes every row-level count and aggregate at once, each
/// grouping check (uniqueness) has a query of its own running beside the scans, and only failing checks then fetch a
/// few sample keys (LIMIT stops at the first ones found). Rows never travel to this process.
/// </summary>
internal static class SuiteEvaluator
{
    public static async Task<IReadOnlyList<ExpectationResult>> EvaluateAsync(
        ISqlSession session, ExpectationSuite suite, IProgress<ValidationProgress>? progress, CancellationToken cancellationToken)
    {
        var tables = new Dictionary<string, ResolvedTable>(StringComparer.Ordinal);
        foreach (var name in suite.Expectations.Select(e => e.Table ?? suite.Table).Distinct(StringComparer.Ordinal))
        {
            tables[name] = await TableCatalog.ResolveAsync(session, name, cancellationToken);
        }

        var checks = suite.Expectations.Select(e => Compile(e, suite, tables)).ToList();
        // A query's checks are judged when it returns: the scan's own checks, or the one check of a standalone count.
        var judged = 0;
        progress?.Report(new ValidationProgress(0, checks.Count));
        async Task<T> Judged<T>(Task<T> query, int checkCount)
        {
            var result = await query;
            progress?.Report(new ValidationProgress(Interlocked.Add(ref judged, checkCount), checks.Count));
            return result;
        }

        var scans = checks.Select((check, index) => (check, index))
            .GroupBy(c => c.check.Target.QuotedTable, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => Judged(ScanAsync(session, g.Key, [.. g], cancellationToken), g.Count(c => c.check is not RowCheck { StandaloneCount: not null })),
                StringComparer.Ordinal);
        var counts = checks.Select(c => c is RowCheck { StandaloneCount: not null } row ? Judged(CountAsync(session, row, cancellationToken), 1) : null).ToList();
        await Task.WhenAll(scans.Values.Cast<Task>().Concat(counts.OfType<Task<long>>()));

        var outcomes = checks.Select((check, index) =>
        {
            var scan = scans[check.Target.QuotedTable].Result;
            return check switch
            {
                RowCheck row => row.Judge(counts[index]?.Result ?? (long)scan.Values[index]!, scan.Rows),
                AggregateCheck aggregate => aggregate.Judge(scan.Values.GetValueOrDefault(index), scan.Rows),
                _ => throw new InvalidOperationException($"Unknown check {check.GetType().Name}."),
            };
        }).ToList();

        var samples = checks.Select((check, index) => check is RowCheck row && outcomes[index].FailingCount > 0 && suite.SampleSize > 0
            ? SampleAsync(session, row, suite.SampleSize, cancellationToken)
            : Task.FromResult<IReadOnlyList<string>>([])).ToList();
        await Task.WhenAll(samples);

        return [.. checks.Select((check, index) => new ExpectationResult(
            check.Expectation.Id,
            check.Expectation.Type,
            check.Expectation.Severity,
            check.Target.Table,
            check.Expectation.Column,
            outcomes[index].Passed,
            outcomes[index].Observed,
            outcomes[index].FailingCount,
            scans[check.Target.QuotedTable].Result.Rows,
            samples[index].Result,
            outcomes[index].Detail,
            check is RowCheck row ? FailingRowsQuery(row) : null,
            JsonSerializer.SerializeToElement(check.Expectation, QualityJson.Options)))];
    }

    private static CompiledCheck Compile(Expectation expectation, ExpectationSuite suite, Dictionary<string, ResolvedTable> tables)
    {
        var table = tables[expectation.Table ?? suite.Table];
        var key = table.Column(expectation.Key ?? suite.Key, expectation.Id);
        var column = expectation.Column is null ? null : table.Column(expectation.Column, expectation.Id);
        return expectation.Compile(new CheckTarget(table.Name, table.Quoted, key.Quoted, column));
    }

    private static Task<TableScan> ScanAsync(ISqlSession session, string table, IReadOnlyList<(CompiledCheck Check, int Index)> checks, CancellationToken cancellationToken)
    {
        var parameters = new SqlParameters();
        var columns = new List<string> { "count(*)" };
        var slots = new List<(int Index, int Ordinal)>();
        foreach (var (check, index) in checks)
        {
            var expression = check switch
            {
                RowCheck { StandaloneCount: null } row => $"count(*) FILTER (WHERE {row.FailingPredicate(parameters)})",
                AggregateCheck { Aggregate: { } aggregate } => aggregate(parameters),
                _ => null,
            };
            if (expression is not null)
            {
                slots.Add((index, columns.Count));
                columns.Add(expression);
            }
        }

        return session.QueryAsync(
            $"SELECT {string.Join(",\n       ", columns)}\nFROM {table}",
            parameters.ApplyTo,
            async (reader, ct) =>
            {
                await reader.ReadAsync(ct);
                var values = slots.ToDictionary(s => s.Index, s => reader.IsDBNull(s.Ordinal) ? null : reader.GetValue(s.Ordinal));
                return new TableScan(reader.GetInt64(0), values);
            },
            cancellationToken);
    }

    private static Task<long> CountAsync(ISqlSession session, RowCheck check, CancellationToken cancellationToken)
    {
        var parameters = new SqlParameters();
        var sql = check.StandaloneCount!(parameters);
        return session.QueryAsync(sql, parameters.ApplyTo, async (reader, ct) =>
        {
            await reader.ReadAsync(ct);
            return reader.GetInt64(0);
        }, cancellationToken);
    }

    private static Task<IReadOnlyList<string>> SampleAsync(ISqlSession session, RowCheck check, int size, CancellationToken cancellationToken)
    {
        var parameters = new SqlParameters();
        var sql = $"SELECT {check.Target.QuotedKey}::text FROM {check.Target.QuotedTable} WHERE {check.FailingPredicate(parameters)} LIMIT {parameters.Add(size)}";
        return session.QueryAsync<IReadOnlyList<string>>(sql, parameters.ApplyTo, async (reader, ct) =>
        {
            var keys = new List<string>();
            while (await reader.ReadAsync(ct))
            {
                keys.Add(reader.IsDBNull(0) ? "(null key)" : reader.GetString(0));
            }

            return [.. keys.Order(StringComparer.Ordinal)];
        }, cancellationToken);
    }

    private static string FailingRowsQuery(RowCheck check)
    {
        var parameters = new SqlParameters();
        var sql = $"SELECT {check.Target.QuotedKey} FROM {check.Target.QuotedTable} WHERE {check.FailingPredicate(parameters)}";
        return parameters.Values.Count == 0
            ? sql
            : sql + "\n-- " + string.Join(", ", parameters.Values.Select((v, i) => $"${i + 1} = {Render(v)}"));
    }

    private static string Render(object value) => value switch
    {
        string s => $"'{s}'",
        string[] values => $"{{{string.Join(",", values)}}}",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private sealed record TableScan(long Rows, Dictionary<int, object?> Values);
}
