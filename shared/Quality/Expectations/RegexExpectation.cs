using System.Text.Json.Serialization;

namespace ToxicFunctions.Quality.Expectations;

/// <summary><c>regex</c>: every non-null value, as text, matches <see cref="Pattern"/> (a PostgreSQL regular expression).</summary>
public sealed record RegexExpectation : Expectation
{
    internal const string Kind = "regex";

    /// <inheritdoc/>
    [JsonIgnore]
    public override string Type => Kind;

    /// <summary>The POSIX regular expression (PostgreSQL <c>~</c>).</summary>
    public required string Pattern { get; init; }

    internal override IEnumerable<string> Problems()
    {
        if (string.IsNullOrEmpty(Pattern))
        {
            yield return "pattern must not be empty";
        }
    }

    internal override CompiledCheck Compile(CheckTarget target)
    {
        var column = target.RequiredColumn.Quoted;
        return new RowCheck(this, target, p => $"{column} IS NOT NULL AND {column}::text !~ {p.Add(Pattern)}", $"do not match {Pattern}");
    }
}
