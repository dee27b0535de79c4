using Npgsql;

namespace ToxicFunctions.Quality;

/// <summary>Queries on one connection (e.g. inside the transform's transaction), one at a time.</summary>
internal sealed class ConnectionSession(NpgsqlConnection connection) : ISqlSession, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<T> QueryAsync<T>(
        string sql, Action<NpgsqlCommand>? bind, Func<NpgsqlDataReader, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            bind?.Invoke(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await read(reader, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
