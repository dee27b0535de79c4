using Npgsql;

namespace ToxicFunctions.Database;

/// <summary>
/// PostgreSQL advisory locks named by a string (hashed to the 64-bit key with <c>hashtextextended(name, 0)</c>): the one
/// way this code base takes them. A transaction lock is released when its transaction ends; a session lock when it is
/// disposed or its connection closes (also when the process dies).
/// </summary>
public static class AdvisoryLock
{
    /// <summary>Waits for the lock named <paramref name="name"/> until the current transaction of <paramref name="connection"/> ends.</summary>
    /// <param name="connection">An open connection inside a transaction.</param>
    /// <param name="name">The lock's name, e.g. <c>ml.model_aliases:toxic-comments</c>.</param>
    /// <param name="shared">Shared holders do not exclude each other, only exclusive ones (and exclusive ones exclude all).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public static async Task ForTransactionAsync(NpgsqlConnection connection, string name, bool shared = false, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand(
            shared ? "SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))" : "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Waits for the exclusive session lock named <paramref name="name"/>; disposing the result releases it.</summary>
    public static async Task<IAsyncDisposable> ForSessionAsync(NpgsqlConnection connection, string name, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended($1, 0))", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new SessionLock(connection, name);
    }

    private sealed class SessionLock(NpgsqlConnection connection, string name) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (connection.State != System.Data.ConnectionState.Open)
            {
                return; // a broken session has released its locks
            }

            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended($1, 0))", connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
