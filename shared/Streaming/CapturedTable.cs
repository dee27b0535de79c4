namespace ToxicFunctions.Streaming;

/// <summary>A captured table as change events describe it: its columns (name, type OID) and primary-key columns.</summary>
/// <param name="Schema">The schema, e.g. <c>source</c>.</param>
/// <param name="Name">The table, e.g. <c>comments</c>.</param>
/// <param name="Columns">The columns in table order.</param>
/// <param name="KeyColumns">Indexes into <paramref name="Columns"/> of the primary key, the Kafka message key.</param>
public sealed record CapturedTable(string Schema, string Name, IReadOnlyList<CapturedColumn> Columns, IReadOnlyList<int> KeyColumns)
{
    /// <summary>The topic of this table's events under <paramref name="prefix"/>.</summary>
    public string Topic(string prefix) => $"{prefix}.{Schema}.{Name}";
}

/// <summary>A column of a captured table.</summary>
/// <param name="Name">The column name.</param>
/// <param name="TypeOid">The PostgreSQL type OID, which decides the JSON encoding of values.</param>
public sealed record CapturedColumn(string Name, uint TypeOid);
