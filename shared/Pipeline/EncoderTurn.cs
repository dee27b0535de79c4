using Npgsql;

namespace ToxicFunctions.Pipeline;

/// <summary>
/// A session-level PostgreSQL advisory lock on one encoder configuration, held by the connection that encodes: writers
/// of the same configuration wait for each other; the lock goes with the session if the process dies.
/// </summary>
internal sealed class EncoderTurn : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly string _encoder;

    private EncoderTurn(NpgsqlConnection connection, string encoder)
    {
        _connection = connection;
        _encoder = encoder;
    }

    public static async Task<EncoderTurn> TakeAsync(NpgsqlConnection connection, string encoder, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended($1, 0))", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = encoder });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new EncoderTurn(connection, encoder);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection.State != System.Data.ConnectionState.Open)
        {
            return; // a broken session has released its locks
        }

        await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended($1, 0))", _connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _encoder });
        await command.ExecuteNonQueryAsync();
    }
}
