using System.Text.Json.Serialization;

namespace ToxicFunctions.Quality.Expectations;

/// <summary>
/// <c>unique</c>: no non-null value occurs twice. Every row that shares its value fails (as Great Expectations
/// counts), so one duplicated id is two failing rows. One grouping query of its own, run beside the table's scan.
/// </summary>
public sealed record UniqueExpectation : Expectation
{
    internal const string Kind = "unique";

    /// <inheritdoc/>
    [JsonIgnore]
    public override string Type => Kind;

    internal override CompiledCheck Compile(CheckTarget target)
    {
        var column = target.RequiredColumn.Quoted;
        var duplicated = $"SELECT {column} FROM {target.QuotedTable} WHERE {column} IS NOT NULL GROUP BY {column} HAVING count(*) > 1";
        return new RowCheck(
            this,
            target,
            _ => $"{column} IN ({duplicated})",
            "share their value with another row",
            _ => $"SELECT coalesce(sum(n), 0)::bigint FROM (SELECT count(*) AS n FROM {target.QuotedTable} WHERE {column} IS NOT NULL GROUP BY {column} HAVING count(*) > 1) AS d");
    }
}
