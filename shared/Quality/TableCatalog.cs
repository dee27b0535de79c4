using Npgsql;
using ToxicFunctions.Quality.Expectations;

namespace ToxicFunctions.Quality;

/// <summary>
/// Resolves the relations and columns that a suite names against the PostgreSQL catalog. Names travel as parameters
/// (to_regclass), and the identifiers put into SQL are those PostgreSQL quotes (quote_ident): a name that is not in the
/// catalog is an error, never text in a query.
/// </summary>
internal static class TableCatalog
{
    private const string Sql = """
        SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname),
               a.attname::text,
               quote_ident(a.attname),
               format_type(a.atttypid, a.atttypmod),
               t.typcategory = 'A'
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN pg_type t ON t.oid = a.atttypid
        WHERE c.oid = to_regclass($1) AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
        ORDER BY a.attnum
        """;

    public static async Task<ResolvedTable> ResolveAsync(ISqlSession session, string table, CancellationToken cancellationToken)
    {
        try
        {
            return await session.QueryAsync(
                Sql,
                command => command.Parameters.Add(new NpgsqlParameter { Value = table }),
                async (reader, ct) =>
                {
                    string? quoted = null;
                    var columns = new Dictionary<string, ResolvedColumn>(StringComparer.Ordinal);
                    while (await reader.ReadAsync(ct))
                    {
                        quoted = reader.GetString(0);
                        if (!reader.IsDBNull(1))
                        {
                            var name = reader.GetString(1);
                            columns[name] = new ResolvedColumn(name, reader.GetString(2), reader.GetString(3), reader.GetBoolean(4));
                        }
                    }

                    return quoted is null
                        ? throw new SuiteDefinitionException($"There is no table or view '{table}'.")
                        : new ResolvedTable(table, quoted, columns);
                },
                cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InvalidName or PostgresErrorCodes.SyntaxError or PostgresErrorCodes.InvalidSchemaName)
        {
            throw new SuiteDefinitionException($"'{table}' is not a valid relation name: {e.MessageText}", e);
        }
    }
}
