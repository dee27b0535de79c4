using System.Globalization;
using DbUp;
using DbUp.Engine.Output;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ToxicFunctions.Database;

/// <summary>
/// Applies the versioned SQL migrations embedded in this assembly (Database/Migrations/NNNN_*.sql, in name order),
/// each once, recorded in <c>public.schemaversions</c>. DbUp does the journaling; an advisory lock keeps hosts that
/// start together from migrating twice.
/// </summary>
public sealed class DatabaseMigrator(NpgsqlDataSource dataSource, IOptions<PostgresOptions> postgres, ILogger<DatabaseMigrator> logger)
{
    private const string MigrationLockName = "toxic.migrations";

    /// <summary>Creates the database if it does not exist, then applies pending migrations.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        // The configured string, not dataSource.ConnectionString: Npgsql strips the password from the latter.
        var connectionString = postgres.Value.ConnectionString;
        await EnsureDatabaseAsync(connectionString, cancellationToken);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (await AdvisoryLock.ForSessionAsync(connection, MigrationLockName, cancellationToken))
        {
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(connectionString)
                .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly, name => name.Contains(".Database.Migrations.", StringComparison.Ordinal))
                .WithTransactionPerScript()
                .LogTo(new DbUpLog(logger))
                .Build();
            var result = upgrader.PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException($"Migration {result.ErrorScript?.Name} failed: {result.Error.Message}", result.Error);
            }
        }
    }

    private static async Task EnsureDatabaseAsync(string connectionString, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var database = builder.Database ?? throw new InvalidOperationException("The Postgres connection string names no database.");
        builder.Database = "postgres";
        builder.Pooling = false;
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return;
        }

        // Identifiers cannot be parameters; quote_ident makes the name safe.
        await using var quote = new NpgsqlCommand("SELECT quote_ident(@name)", connection);
        quote.Parameters.AddWithValue("name", database);
        var quoted = (string)(await quote.ExecuteScalarAsync(cancellationToken))!;
        await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
        try
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another host created it first.
        }
    }

    private sealed class DbUpLog(ILogger logger) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) => Log(LogLevel.Trace, null, format, args);

        public void LogDebug(string format, params object[] args) => Log(LogLevel.Debug, null, format, args);

        public void LogInformation(string format, params object[] args) => Log(LogLevel.Information, null, format, args);

        public void LogWarning(string format, params object[] args) => Log(LogLevel.Warning, null, format, args);

        public void LogError(string format, params object[] args) => Log(LogLevel.Error, null, format, args);

        public void LogError(Exception ex, string format, params object[] args) => Log(LogLevel.Error, ex, format, args);

        // DbUp hands over composite format strings ("{0}"), not message templates.
        private void Log(LogLevel level, Exception? exception, string format, object[] args)
        {
            if (logger.IsEnabled(level))
            {
                logger.Log(level, exception, "{Message}", string.Format(CultureInfo.InvariantCulture, format, args));
            }
        }
    }
}
