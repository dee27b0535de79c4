using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using ToxicFunctions.Database;
using ToxicFunctions.Training;

namespace ToxicFunctions.Pipeline;

/// <summary>
/// The model registry in <c>ml.model_versions</c> and <c>ml.model_aliases</c> (what MLflow's registry did): versions
/// numbered per model name, one per run (registering a run again returns its version), and the aliases
/// <see cref="ModelAliases.Champion"/> and <see cref="ModelAliases.Challenger"/>, every change kept in
/// <c>ml.alias_history</c>.
/// </summary>
public sealed class ModelRegistry(NpgsqlDataSource dataSource)
{
    private const string SelectVersions =
        """
        SELECT v.model_name, v.version, v.run_id, v.snapshot_sha256, v.artifact_uri, v.metrics::text, v.created_at,
               coalesce((SELECT array_agg(a.alias ORDER BY a.alias) FROM ml.model_aliases a
                         WHERE a.model_name = v.model_name AND a.version = v.version), '{}')
        FROM ml.model_versions v
        """;

    /// <summary>Registers the run's model as the next version of <paramref name="modelName"/>; returns the version.</summary>
    public async Task<int> RegisterAsync(
        string modelName, Guid runId, string snapshotSha256, string artifactUri, ClassificationMetrics testMetrics, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await AdvisoryLock.ForTransactionAsync(connection, $"ml.model_versions:{modelName}", cancellationToken: cancellationToken);

        await using var command = new NpgsqlCommand(
            """
            WITH existing AS (SELECT version FROM ml.model_versions WHERE run_id = $2),
            inserted AS (
                INSERT INTO ml.model_versions (model_name, version, run_id, snapshot_sha256, artifact_uri, metrics)
                SELECT $1, coalesce((SELECT max(version) FROM ml.model_versions WHERE model_name = $1), 0) + 1, $2, $3, $4, $5
                WHERE NOT EXISTS (SELECT 1 FROM existing)
                RETURNING version
            )
            SELECT version FROM inserted UNION ALL SELECT version FROM existing
            """,
            connection,
            transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = modelName });
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        command.Parameters.Add(new NpgsqlParameter { Value = snapshotSha256 });
        command.Parameters.Add(new NpgsqlParameter { Value = artifactUri });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(testMetrics, PipelineJson.Options), NpgsqlDbType = NpgsqlDbType.Jsonb });
        var version = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return version;
    }

    /// <summary>The version an alias points at, or null.</summary>
    public async Task<ModelVersionRecord?> GetAliasAsync(string modelName, string alias, CancellationToken cancellationToken)
    {
        var versions = await QueryAsync(
            SelectVersions + " JOIN ml.model_aliases a ON a.model_name = v.model_name AND a.version = v.version WHERE a.model_name = $1 AND a.alias = $2",
            cancellationToken,
            modelName,
            alias);
        return versions.Count == 0 ? null : versions[0];
    }

    /// <summary>One version, or null.</summary>
    public async Task<ModelVersionRecord?> GetVersionAsync(string modelName, int version, CancellationToken cancellationToken)
    {
        var versions = await QueryAsync(SelectVersions + " WHERE v.model_name = $1 AND v.version = $2", cancellationToken, modelName, version);
        return versions.Count == 0 ? null : versions[0];
    }

    /// <summary>Every version (of one model, or of all), newest first, with their aliases.</summary>
    public Task<IReadOnlyList<ModelVersionRecord>> ListVersionsAsync(string? modelName, CancellationToken cancellationToken) =>
        QueryAsync(
            SelectVersions + " WHERE $1::text IS NULL OR v.model_name = $1 ORDER BY v.model_name, v.version DESC",
            cancellationToken,
            new NpgsqlParameter { Value = (object?)modelName ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });

    /// <summary>Points <paramref name="alias"/> at <paramref name="version"/> and records the change; returns the previous version.</summary>
    /// <exception cref="KeyNotFoundException">There is no such version.</exception>
    public async Task<int?> SetAliasAsync(string modelName, string alias, int version, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAliasesAsync(connection, transaction, modelName, cancellationToken);
        var previous = await CurrentAsync(connection, transaction, modelName, alias, cancellationToken);
        await MoveAliasAsync(connection, transaction, modelName, alias, previous, version, reason, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return previous;
    }

    /// <summary>
    /// Points <paramref name="alias"/> at <paramref name="version"/> only while it still points at
    /// <paramref name="expected"/> (null: at nothing), the version a decision was based on; or when it already points at
    /// <paramref name="version"/> (a retried call). Otherwise changes nothing. Returns whether the alias now points at
    /// <paramref name="version"/>, and the version it pointed at before.
    /// </summary>
    /// <exception cref="KeyNotFoundException">There is no such version.</exception>
    public async Task<(bool Applied, int? Previous)> SetAliasIfAsync(
        string modelName, string alias, int version, int? expected, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAliasesAsync(connection, transaction, modelName, cancellationToken);
        var previous = await CurrentAsync(connection, transaction, modelName, alias, cancellationToken);
        if (previous != expected && previous != version)
        {
            return (false, previous);
        }

        await MoveAliasAsync(connection, transaction, modelName, alias, previous, version, reason, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (true, previous);
    }

    /// <summary>
    /// Points the champion back at the version it replaced most recently (the latest history entry that changed it);
    /// returns that version, or null when the champion never replaced another.
    /// </summary>
    public async Task<ModelVersionRecord?> RollbackAsync(string modelName, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAliasesAsync(connection, transaction, modelName, cancellationToken);
        var current = await CurrentAsync(connection, transaction, modelName, ModelAliases.Champion, cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            SELECT previous_version FROM ml.alias_history
            WHERE model_name = $1 AND alias = 'champion' AND previous_version IS NOT NULL AND version = $2
            ORDER BY change_id DESC LIMIT 1
            """,
            connection,
            transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = modelName });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)current ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        if (await command.ExecuteScalarAsync(cancellationToken) is not int previous)
        {
            return null;
        }

        await MoveAliasAsync(connection, transaction, modelName, ModelAliases.Champion, current, previous, "rollback", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await GetVersionAsync(modelName, previous, cancellationToken);
    }

    // Alias changes of one model take turns: a row lock cannot guard an alias that has no row yet.
    private static Task LockAliasesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string modelName, CancellationToken cancellationToken) =>
        AdvisoryLock.ForTransactionAsync(connection, $"ml.model_aliases:{modelName}", cancellationToken: cancellationToken);

    private static async Task<int?> CurrentAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string modelName, string alias, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT version FROM ml.model_aliases WHERE model_name = $1 AND alias = $2", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = modelName });
        command.Parameters.Add(new NpgsqlParameter { Value = alias });
        return await command.ExecuteScalarAsync(cancellationToken) as int?;
    }

    private static async Task MoveAliasAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string modelName,
        string alias,
        int? previous,
        int version,
        string reason,
        CancellationToken cancellationToken)
    {
        await using (var check = new NpgsqlCommand("SELECT 1 FROM ml.model_versions WHERE model_name = $1 AND version = $2 FOR SHARE", connection, transaction))
        {
            check.Parameters.Add(new NpgsqlParameter { Value = modelName });
            check.Parameters.Add(new NpgsqlParameter { Value = version });
            if (await check.ExecuteScalarAsync(cancellationToken) is null)
            {
                throw new KeyNotFoundException($"Model {modelName} has no version {version}.");
            }
        }

        if (previous == version)
        {
            return; // already so (a retried call): no new history entry
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        var upsert = new NpgsqlBatchCommand(
            """
            INSERT INTO ml.model_aliases (model_name, alias, version) VALUES ($1, $2, $3)
            ON CONFLICT (model_name, alias) DO UPDATE SET version = EXCLUDED.version, updated_at = now()
            """);
        upsert.Parameters.Add(new NpgsqlParameter { Value = modelName });
        upsert.Parameters.Add(new NpgsqlParameter { Value = alias });
        upsert.Parameters.Add(new NpgsqlParameter { Value = version });
        var history = new NpgsqlBatchCommand(
            "INSERT INTO ml.alias_history (model_name, alias, version, previous_version, reason) VALUES ($1, $2, $3, $4, $5)");
        history.Parameters.Add(new NpgsqlParameter { Value = modelName });
        history.Parameters.Add(new NpgsqlParameter { Value = alias });
        history.Parameters.Add(new NpgsqlParameter { Value = version });
        history.Parameters.Add(new NpgsqlParameter { Value = (object?)previous ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        history.Parameters.Add(new NpgsqlParameter { Value = reason });
        batch.BatchCommands.Add(upsert);
        batch.BatchCommands.Add(history);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<ModelVersionRecord>> QueryAsync(string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(parameter as NpgsqlParameter ?? new NpgsqlParameter { Value = parameter });
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var versions = new List<ModelVersionRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(new ModelVersionRecord(
                reader.GetString(0),
                reader.GetInt32(1),
                reader.GetGuid(2),
                reader.GetString(3),
                reader.GetString(4),
                ExperimentTracker.Json(reader.GetString(5)),
                reader.GetFieldValue<DateTimeOffset>(6),
                reader.GetFieldValue<string[]>(7)));
        }

        return versions;
    }
}
