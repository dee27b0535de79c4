using Npgsql;

namespace ToxicFunctions.Quality;

/// <summary>Where a suite's queries run: the data source (queries in parallel, each on its own connection) or one connection inside a transaction.</summary>
internal interface ISqlSession
{
    Task<T> QueryAsync<T>(string sql, Action<NpgsqlCommand>? bind, Func<NpgsqlDataReader, CancellationToken, Task<T>> read, CancellationToken cancellationToken);
}
