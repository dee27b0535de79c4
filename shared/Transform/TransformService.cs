using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using ToxicFunctions.Database;
using ToxicFunctions.Quality;

namespace ToxicFunctions.Transform;

/// <summary>
/// The production transform (what the dbt model did): in one transaction, runs the SQL models in dependency order
/// (staging -> production.comments, incrementally), checks the table's declared contract and the production tests,
/// then the post-steps (indexes, ANALYZE), and commits: a run that breaks the contract or fails an error-level test
/// publishes nothing. All of it is set-based SQL inside PostgreSQL. Runs are serialized by an advisory lock.
/// </summary>
public sealed class TransformService(NpgsqlDataSource dataSource, TimeProvider time, ILogger<TransformService> logger)
{
    /// <summary>The suite of production tests, embedded from shared/Quality/suites/production.json.</summary>
    public const string ProductionSuite = "production";

    private const string TransformLockName = "production.transform";

    private static readonly Lazy<LoadedSuite> s_tests = new(() => SuiteLoader.LoadEmbedded(ProductionSuite));

    /// <summary>Runs the transform and returns what it did.</summary>
    public async Task<TransformResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var catalog = ModelCatalog.Embedded;
        var startedAt = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await AdvisoryLock.ForTransactionAsync(connection, TransformLockName, cancellationToken: cancellationToken);

        var runs = new List<ModelRun>();
        foreach (var model in catalog.Models)
        {
            runs.Add(await ExecuteAsync(connection, model, cancellationToken));
        }

        var violations = await ContractChecker.CheckAsync(connection, TableContract.ProductionComments, cancellationToken);
        if (violations.Count > 0)
        {
            throw new TransformGateException(
                $"{TableContract.ProductionComments.Table} breaks its contract: {string.Join("; ", violations)}. Nothing was published.");
        }

        IReadOnlyList<ExpectationResult> tests;
        using (var session = new ConnectionSession(connection))
        {
            tests = await SuiteEvaluator.EvaluateAsync(session, s_tests.Value.Suite, null, cancellationToken);
        }

        var failed = tests.Where(t => !t.Passed && t.Severity == Severity.Error).ToList();
        if (failed.Count > 0)
        {
            throw new TransformGateException(
                $"Production tests failed: {string.Join("; ", failed.Select(t => $"{t.Id} ({t.Detail}; e.g. {string.Join(", ", t.SampleKeys)})"))}. Nothing was published.");
        }

        foreach (var step in catalog.PostSteps)
        {
            runs.Add(await ExecuteAsync(connection, step, cancellationToken));
        }

        var finishedAt = time.GetUtcNow();
        var rowsInProduction = tests.Count > 0 ? tests[0].RowsChecked : 0;
        long runId;
        await using (var record = new NpgsqlCommand(
            "INSERT INTO production.transform_runs (started_at, finished_at, models, tests, rows_total) VALUES ($1, $2, $3, $4, $5) RETURNING run_id",
            connection))
        {
            record.Parameters.Add(new NpgsqlParameter { Value = startedAt });
            record.Parameters.Add(new NpgsqlParameter { Value = finishedAt });
            record.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(runs), NpgsqlDbType = NpgsqlDbType.Jsonb });
            record.Parameters.Add(new NpgsqlParameter
            {
                Value = JsonSerializer.Serialize(tests.Select(t => new { t.Id, t.Passed, t.FailingCount, t.Detail })),
                NpgsqlDbType = NpgsqlDbType.Jsonb,
            });
            record.Parameters.Add(new NpgsqlParameter { Value = rowsInProduction });
            runId = (long)(await record.ExecuteScalarAsync(cancellationToken))!;
        }

        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation(
            "Transform run {RunId}: {Models}; {Rows} rows in production",
            runId, string.Join(", ", runs.Select(r => $"{r.Name}={r.Rows}")), rowsInProduction);
        return new TransformResult(runId, startedAt, finishedAt, runs, tests, rowsInProduction);
    }

    private static async Task<ModelRun> ExecuteAsync(NpgsqlConnection connection, TransformModel model, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var command = new NpgsqlCommand(model.Sql, connection) { CommandTimeout = 0 };
        var rows = await command.ExecuteNonQueryAsync(cancellationToken);
        return new ModelRun(model.Name, Math.Max(rows, 0), stopwatch.Elapsed.TotalMilliseconds);
    }
}
