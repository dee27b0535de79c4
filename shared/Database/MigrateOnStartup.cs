using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ToxicFunctions.Database;

/// <summary>Applies pending migrations when a host starts, unless <see cref="PostgresOptions.MigrateOnStartup"/> is off.</summary>
internal sealed class MigrateOnStartup(DatabaseMigrator migrator, IOptions<PostgresOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        options.Value.MigrateOnStartup ? migrator.MigrateAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
