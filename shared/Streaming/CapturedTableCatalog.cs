using Npgsql;

namespace ToxicFunctions.Streaming;

/// <summary>Reads captured tables from the PostgreSQL catalog: the publication's tables, their columns and primary keys.</summary>
internal static class CapturedTableCatalog
{
    public static async Task<List<(string Schema, string Table)>> PublicationTablesAsync(
        NpgsqlConnection connection, string publication, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = @publication ORDER BY 1, 2", connection);
        command.Parameters.AddWithValue("publication", publication);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tables = new List<(string, string)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            tables.Add((reader.GetString(0), reader.GetString(1)));
        }

        return tables;
    }

    public static async Task<CapturedTable> ReadAsync(NpgsqlConnection connection, string schema, string table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT a.attname, a.atttypid::bigint,
                   EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary AND a.attnum = ANY (i.indkey))
            FROM pg_attribute a
            WHERE a.attrelid = to_regclass(format('%I.%I', @schema::text, @table::text)) AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """,
            connection);
        command.Parameters.AddWithValue("schema", schema);
        command.Parameters.AddWithValue("table", table);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = new List<CapturedColumn>();
        var keys = new List<int>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.GetBoolean(2))
            {
                keys.Add(columns.Count);
            }

            columns.Add(new CapturedColumn(reader.GetString(0), (uint)reader.GetInt64(1)));
        }

        if (columns.Count == 0)
        {
            throw new InvalidOperationException($"Table {schema}.{table} does not exist.");
        }

        if (keys.Count == 0)
        {
            throw new InvalidOperationException($"Table {schema}.{table} has no primary key: change events need one as their Kafka key.");
        }

        return new CapturedTable(schema, table, columns, keys);
    }

    /// <summary>A PostgreSQL identifier, quoted.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
