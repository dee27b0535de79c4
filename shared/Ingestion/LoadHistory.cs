using Npgsql;
using NpgsqlTypes;

namespace ToxicFunctions.Ingestion;

/// <summary>Reads <c>staging.loads</c> for operators: what was announced, and what became of it.</summary>
public sealed class LoadHistory(NpgsqlDataSource dataSource)
{
    /// <summary>The loads that match <paramref name="request"/>, newest first.</summary>
    public async Task<IReadOnlyList<LoadRecord>> ListAsync(LoadListRequest request, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT load_id, store, container, object_key, object_version, size_bytes, status, rows_loaded, rows_rejected, reason, started_at, finished_at
            FROM staging.loads
            WHERE ($1::text[] IS NULL OR status = ANY ($1))
              AND ($2::text IS NULL OR container = $2)
              AND ($3::text IS NULL OR object_key = $3)
            ORDER BY started_at DESC, load_id DESC
            LIMIT $4
            """);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = (object?)request.Statuses?.ToArray() ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)request.Container ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)request.Key ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = request.Limit });

        var loads = new List<LoadRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            loads.Add(new LoadRecord(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetInt64(5),
                reader.GetString(6),
                reader.GetInt64(7),
                reader.GetInt64(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.GetDateTime(10),
                reader.IsDBNull(11) ? null : reader.GetDateTime(11)));
        }

        return loads;
    }
}
