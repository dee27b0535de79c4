using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ToxicFunctions.Database;
using ToxicFunctions.Streaming;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Database;

/// <summary>
/// Against a server that wants a password (as Azure's does): the migrations and the CDC relay, which open connections
/// of their own beside the data source, must send it. scripts/services.sh makes the local server ask the role
/// toxic_password_auth for one.
/// </summary>
public sealed class PasswordAuthenticationTests : IAsyncLifetime
{
    private const string Role = "toxic_password_auth";
    private readonly string _password = Convert.ToHexString(Guid.NewGuid().ToByteArray());
    private readonly string _database = $"toxic_pw_{Guid.NewGuid():N}"[..28];
    private readonly string _slot = $"slot_pw_{Guid.NewGuid():N}"[..24];

    private string ConnectionString => new NpgsqlConnectionStringBuilder(TestSettings.PostgresConnectionString)
    {
        Host = "127.0.0.1",
        Username = Role,
        Password = _password,
        Database = _database,
        Timeout = 60,
    }.ConnectionString;

    public async Task InitializeAsync()
    {
        await using var admin = await OpenAdminAsync();
        await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_roles WHERE rolname = $1", admin))
        {
            exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Role });
            if (await exists.ExecuteScalarAsync() is null)
            {
                await using var create = new NpgsqlCommand($"CREATE ROLE {Role} LOGIN CREATEDB REPLICATION", admin);
                await create.ExecuteNonQueryAsync();
            }
        }

        // The password travels as a parameter: DDL takes none, so it goes through a session setting.
        await using var setPassword = new NpgsqlBatch(admin)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT set_config('toxic.test_password', $1, false)") { Parameters = { new NpgsqlParameter<string> { TypedValue = _password } } },
                new NpgsqlBatchCommand($"DO $$ BEGIN EXECUTE format('ALTER ROLE {Role} PASSWORD %L', current_setting('toxic.test_password')); END $$"),
            },
        };
        await setPassword.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = await OpenAdminAsync();
        await using (var slots = new NpgsqlCommand("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active", admin))
        {
            slots.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _slot });
            await slots.ExecuteNonQueryAsync();
        }

        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Migrations_and_the_relay_connect_with_the_configured_password()
    {
        // The server really asks this role for a password (else this test would prove nothing).
        var withoutPassword = new NpgsqlConnectionStringBuilder(ConnectionString) { Password = null, Database = "postgres" };
        await using (var anonymous = new NpgsqlConnection(withoutPassword.ConnectionString))
        {
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => anonymous.OpenAsync());
        }

        await using var services = BuildServices();
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        await using (var check = services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT count(*) FROM staging.comments"))
        {
            Assert.Equal(0L, await check.ExecuteScalarAsync());
        }

        // The relay opens its replication connection and creates its slot, then is stopped.
        using var stop = new CancellationTokenSource();
        var relay = services.GetRequiredService<CdcRelay>().RunAsync(stop.Token);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await SlotExistsAsync() && !relay.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.False(relay.IsFaulted, relay.Exception?.ToString());
        Assert.True(await SlotExistsAsync(), "the relay did not create its slot");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => relay.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    private ServiceProvider BuildServices() =>
        TestDatabase.CreateServices(ConnectionString, new Dictionary<string, string?> { ["Cdc:SlotName"] = _slot, ["Cdc:TopicPrefix"] = _slot });

    private async Task<bool> SlotExistsAsync()
    {
        await using var admin = await OpenAdminAsync();
        await using var command = new NpgsqlCommand("SELECT 1 FROM pg_replication_slots WHERE slot_name = $1", admin);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _slot });
        return await command.ExecuteScalarAsync() is not null;
    }

    private static async Task<NpgsqlConnection> OpenAdminAsync()
    {
        var admin = new NpgsqlConnectionStringBuilder(TestSettings.PostgresConnectionString) { Database = "postgres", Pooling = false };
        var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
