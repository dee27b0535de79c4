using Npgsql;
using NpgsqlTypes;

namespace ToxicFunctions.Quality;

/// <summary>Validation runs and results in <c>ml.validation_runs</c> and <c>ml.validation_results</c>.</summary>
public sealed class ValidationResultStore(NpgsqlDataSource dataSource)
{
    /// <summary>Records a run that has started.</summary>
    public async Task StartAsync(Guid runId, LoadedSuite suite, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO ml.validation_runs (run_id, suite_name, suite_sha256, started_at, status, expectations)
            VALUES ($1, $2, $3, $4, 'running', $5)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        command.Parameters.Add(new NpgsqlParameter { Value = suite.Suite.Name });
        command.Parameters.Add(new NpgsqlParameter { Value = suite.Sha256 });
        command.Parameters.Add(new NpgsqlParameter { Value = startedAt });
        command.Parameters.Add(new NpgsqlParameter { Value = suite.Suite.Expectations.Count });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Stores every result and the run's verdict, in one transaction.</summary>
    public async Task CompleteAsync(ValidationReport report, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        for (var i = 0; i < report.Results.Count; i++)
        {
            var r = report.Results[i];
            var insert = new NpgsqlBatchCommand(
                """
                INSERT INTO ml.validation_results (run_id, ordinal, expectation_id, expectation_type, severity, table_name, column_name,
                    definition, passed, observed_value, failing_count, rows_checked, sample_keys, detail)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                """);
            Add(insert, report.RunId);
            Add(insert, i + 1);
            Add(insert, r.Id);
            Add(insert, r.Type);
            Add(insert, r.Severity.ToString().ToLowerInvariant());
            Add(insert, r.Table);
            Add(insert, r.Column);
            insert.Parameters.Add(new NpgsqlParameter { Value = r.Definition.GetRawText(), NpgsqlDbType = NpgsqlDbType.Jsonb });
            Add(insert, r.Passed);
            Add(insert, r.ObservedValue);
            Add(insert, r.FailingCount);
            Add(insert, r.RowsChecked);
            insert.Parameters.Add(new NpgsqlParameter { Value = r.SampleKeys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            Add(insert, r.Detail);
            batch.BatchCommands.Add(insert);
        }

        var update = new NpgsqlBatchCommand(
            """
            UPDATE ml.validation_runs
            SET finished_at = $2, status = $3, expectations = $4, failed_errors = $5, failed_warnings = $6, report_json_uri = $7, report_html_uri = $8
            WHERE run_id = $1
            """);
        Add(update, report.RunId);
        Add(update, report.FinishedAt);
        Add(update, report.Status.ToString().ToLowerInvariant());
        Add(update, report.Evaluated);
        Add(update, report.FailedErrors);
        Add(update, report.FailedWarnings);
        Add(update, report.ReportJsonUri);
        Add(update, report.ReportHtmlUri);
        batch.BatchCommands.Add(update);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Marks a run that could not be evaluated.</summary>
    public async Task FailAsync(Guid runId, string error, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE ml.validation_runs SET status = 'error', error = $2, finished_at = now() WHERE run_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        command.Parameters.Add(new NpgsqlParameter { Value = error });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A run's status ('running', 'passed', 'warned', 'failed', 'error'), or null for an unknown run.</summary>
    public async Task<string?> GetStatusAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT status FROM ml.validation_runs WHERE run_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        return (string?)await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>
    /// The newest run that stored its reports (passed, warned or failed; not running or in error), of
    /// <paramref name="suite"/> when given; null when there is none.
    /// </summary>
    public async Task<Guid?> GetLatestReportedAsync(string? suite, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT run_id FROM ml.validation_runs
            WHERE status IN ('passed', 'warned', 'failed') AND ($1::text IS NULL OR suite_name = $1)
            ORDER BY finished_at DESC, run_id DESC LIMIT 1
            """);
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = suite });
        return (Guid?)await command.ExecuteScalarAsync(cancellationToken);
    }

    private static void Add(NpgsqlBatchCommand command, object? value) =>
        command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
}
