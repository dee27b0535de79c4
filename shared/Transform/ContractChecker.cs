using Npgsql;

namespace ToxicFunctions.Transform;

/// <summary>Compares a table in the catalog with its declared contract; returns every difference (none: the contract holds).</summary>
internal static class ContractChecker
{
    public static async Task<IReadOnlyList<string>> CheckAsync(NpgsqlConnection connection, TableContract contract, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull
            FROM pg_attribute a
            WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = contract.Table });
        var actual = new Dictionary<string, ContractColumn>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                actual[reader.GetString(0)] = new ContractColumn(reader.GetString(0), reader.GetString(1), reader.GetBoolean(2));
            }
        }

        if (actual.Count == 0)
        {
            return [$"{contract.Table} does not exist"];
        }

        var violations = new List<string>();
        foreach (var declared in contract.Columns)
        {
            if (!actual.TryGetValue(declared.Name, out var column))
            {
                violations.Add($"column {declared.Name} is missing");
                continue;
            }

            if (column.Type != declared.Type)
            {
                violations.Add($"column {declared.Name} is {column.Type}, declared {declared.Type}");
            }

            if (column.Nullable != declared.Nullable)
            {
                violations.Add($"column {declared.Name} is {(column.Nullable ? "nullable" : "NOT NULL")}, declared {(declared.Nullable ? "nullable" : "NOT NULL")}");
            }
        }

        var declaredNames = contract.Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        violations.AddRange(actual.Keys.Where(name => !declaredNames.Contains(name)).Select(name => $"column {name} is not in the contract"));
        return violations;
    }
}
