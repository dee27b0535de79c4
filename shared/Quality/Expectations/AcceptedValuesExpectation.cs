using System.Text.Json;
using System.Text.Json.Serialization;

namespace ToxicFunctions.Quality.Expectations;

/// <summary>
/// <c>accepted_values</c>: every non-null value is one of <see cref="Values"/> (compared as the column's type; nulls
/// are the business of <c>not_null</c>).
/// </summary>
public sealed record AcceptedValuesExpectation : Expectation
{
    internal const string Kind = "accepted_values";

    /// <inheritdoc/>
    [JsonIgnore]
    public override string Type => Kind;

    /// <summary>The accepted values (JSON strings, numbers or booleans).</summary>
    public required IReadOnlyList<JsonElement> Values { get; init; }

    internal override IEnumerable<string> Problems()
    {
        if (Values.Count == 0)
        {
            yield return "values must list at least one value";
        }

        if (Values.Any(v => v.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)))
        {
            yield return "values must be strings, numbers or booleans";
        }
    }

    internal override CompiledCheck Compile(CheckTarget target)
    {
        var column = target.RequiredColumn;
        var values = Values.Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText()).ToArray();
        // The values travel as text[] and are cast to the column's type (format_type from the catalog) in PostgreSQL.
        return new RowCheck(
            this,
            target,
            p => $"{column.Quoted} IS NOT NULL AND NOT ({column.Quoted} = ANY (CAST({p.Add(values)} AS text[])::{column.SqlType}[]))",
            $"have a value outside [{string.Join(", ", values)}]");
    }
}
