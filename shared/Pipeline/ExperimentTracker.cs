using System.Reflection;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using ToxicFunctions.Training;

namespace ToxicFunctions.Pipeline;

/// <summary>
/// Experiment tracking in <c>ml.experiments</c> and <c>ml.runs</c> (what MLflow tracking did): parameters, metrics per
/// split, tags, status, duration, snapshot hash and code version of every training run. Writes are idempotent per run
/// id, so a retried activity records its run once.
/// </summary>
public sealed class ExperimentTracker(NpgsqlDataSource dataSource)
{
    /// <summary>The version of the code that trains (the shared assembly's informational version, with the commit when built from git).</summary>
    public static string CodeVersion { get; } =
        typeof(ExperimentTracker).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>
    /// Creates the run (and its experiment when new) as running, with the number of feedback rows its snapshot holds;
    /// a retried start resets it to running.
    /// </summary>
    public async Task StartRunAsync(RunStart run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var command = dataSource.CreateCommand(
            """
            WITH experiment AS (
                -- DO UPDATE (not DO NOTHING) returns the row even when a concurrent run created it after this
                -- statement's snapshot was taken.
                INSERT INTO ml.experiments (name) VALUES ($2) ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING experiment_id
            )
            INSERT INTO ml.runs (run_id, experiment_id, pipeline_instance_id, status, params, tags, snapshot_sha256, code_version, feedback_rows)
            SELECT $1, experiment_id, $3, 'running', $4, $5, $6, $7, $8 FROM experiment
            ON CONFLICT (run_id) DO UPDATE SET status = 'running', error = NULL, finished_at = NULL, started_at = now(),
                params = EXCLUDED.params, tags = EXCLUDED.tags, feedback_rows = EXCLUDED.feedback_rows
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = run.RunId });
        command.Parameters.Add(new NpgsqlParameter { Value = run.Experiment });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)run.PipelineInstanceId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(run.Params, PipelineJson.Options), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(run.Tags, PipelineJson.Options), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter { Value = run.SnapshotSha256 });
        command.Parameters.Add(new NpgsqlParameter { Value = CodeVersion });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)run.FeedbackRows ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            throw new InvalidOperationException($"Run {run.RunId} of experiment {run.Experiment} was not recorded.");
        }
    }

    /// <summary>Records the metrics of one split (training, holdout, test) of the run.</summary>
    public Task LogMetricsAsync(Guid runId, string split, ClassificationMetrics metrics, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "UPDATE ml.runs SET metrics = metrics || jsonb_build_object($2::text, $3::jsonb) WHERE run_id = $1",
            cancellationToken,
            runId,
            split,
            new NpgsqlParameter { Value = JsonSerializer.Serialize(metrics, PipelineJson.Options), NpgsqlDbType = NpgsqlDbType.Jsonb });

    /// <summary>Records where the run's model directory is.</summary>
    public Task SetArtifactAsync(Guid runId, string artifactUri, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE ml.runs SET artifact_uri = $2 WHERE run_id = $1", cancellationToken, runId, artifactUri);

    /// <summary>Ends the run as finished, or failed with <paramref name="error"/>.</summary>
    public Task FinishAsync(Guid runId, string? error, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "UPDATE ml.runs SET status = CASE WHEN $2::text IS NULL THEN 'finished' ELSE 'failed' END, error = $2, finished_at = now() WHERE run_id = $1",
            cancellationToken,
            runId,
            new NpgsqlParameter { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });

    /// <summary>The latest runs (of one experiment, or of all), newest first.</summary>
    public async Task<IReadOnlyList<RunRecord>> ListRunsAsync(string? experiment, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT r.run_id, e.name, r.pipeline_instance_id, r.status, r.params::text, r.metrics::text, r.tags::text, r.snapshot_sha256,
                   r.code_version, r.artifact_uri, r.error, r.started_at, r.finished_at, extract(epoch FROM r.duration)::float8,
                   r.feedback_rows
            FROM ml.runs r JOIN ml.experiments e USING (experiment_id)
            WHERE $1::text IS NULL OR e.name = $1
            ORDER BY r.started_at DESC LIMIT $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)experiment ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = new List<RunRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(new RunRecord(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3),
                Json(reader.GetString(4)),
                Json(reader.GetString(5)),
                Json(reader.GetString(6)),
                reader.GetString(7),
                reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.GetFieldValue<DateTimeOffset>(11),
                reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12),
                reader.IsDBNull(13) ? null : reader.GetDouble(13),
                reader.IsDBNull(14) ? null : reader.GetInt32(14)));
        }

        return runs;
    }

    internal static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(parameter as NpgsqlParameter ?? new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
