using Npgsql;

namespace ToxicFunctions.Quality;

/// <summary>Each query on a pooled connection of its own, so that independent queries run side by side.</summary>
internal sealed class DataSourceSession(NpgsqlDataSource dataSource) : ISqlSession
{
    public async Task<T> QueryAsync<T>(
        string sql, Action<NpgsqlCommand>? bind, Func<NpgsqlDataReader, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        bind?.Invoke(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await read(reader, cancellationToken);
    }
}
