using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using ToxicFunctions.Database;

namespace ToxicFunctions.Tests.Infrastructure;

/// <summary>
/// A fresh, migrated PostgreSQL database on the real server for one test class, dropped afterwards; and the
/// pipeline's services wired to it exactly as the hosts wire them.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    private ServiceProvider? _services;

    // A generous connect timeout: on a 2-core CI machine the test classes run in parallel with CPU-bound training,
    // and one open once took longer than Npgsql's default 15 s.
    public string ConnectionString { get; } = new NpgsqlConnectionStringBuilder(TestSettings.PostgresConnectionString)
    {
        Database = $"toxic_test_{Guid.NewGuid():N}"[..30],
        Timeout = 60,
    }.ConnectionString;

    public IServiceProvider Services => _services ?? throw new InvalidOperationException("Not initialized.");

    public NpgsqlDataSource DataSource => Services.GetRequiredService<NpgsqlDataSource>();

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Builds another service provider on this database, with extra settings.</summary>
    public ServiceProvider CreateServices(IDictionary<string, string?>? settings = null) => CreateServices(ConnectionString, settings);

    /// <summary>The pipeline's services on the database of <paramref name="connectionString"/>, with extra settings.</summary>
    public static ServiceProvider CreateServices(string connectionString, IDictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddConfiguration(TestSettings.Configuration)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Postgres:ConnectionString"] = connectionString })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddToxicFunctions(configuration);
        return services.BuildServiceProvider();
    }

    public async Task InitializeAsync()
    {
        _services = CreateServices();
        await _services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        var admin = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        var database = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;

        // Replication slots of this database (CDC tests) must go before the database can.
        await using (var slots = new NpgsqlCommand(
            "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = @database AND NOT active", connection))
        {
            slots.Parameters.AddWithValue("database", database);
            await slots.ExecuteNonQueryAsync();
        }

        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }
}
