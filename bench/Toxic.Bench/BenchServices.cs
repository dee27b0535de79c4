using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using ToxicFunctions.Database;

namespace ToxicFunctions.Bench;

/// <summary>The pipeline's services on the local services, with a database of the benchmark's own.</summary>
internal static class BenchServices
{
    public static async Task<ServiceProvider> CreateAsync(string database, IDictionary<string, string?>? settings = null)
    {
        var baseConfiguration = new ConfigurationBuilder().AddEnvironmentVariables().AddLocalDevelopmentDefaults().Build();
        var connectionString = new NpgsqlConnectionStringBuilder(baseConfiguration["Postgres:ConnectionString"]) { Database = database }.ConnectionString;
        var configuration = new ConfigurationBuilder()
            .AddConfiguration(baseConfiguration)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Postgres:ConnectionString"] = connectionString })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddToxicFunctions(configuration)
            .BuildServiceProvider();
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        return services;
    }
}
