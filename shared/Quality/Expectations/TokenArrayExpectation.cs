using System.Text.Json.Serialization;

namespace ToxicFunctions.Quality.Expectations;

/// <summary>
/// <c>token_array</c>: every non-null value is a well-formed token id array: one dimension, no null ids, between
/// <see cref="MinLength"/> and <see cref="MaxLength"/> ids, starting with <see cref="First"/> ([CLS] = 101) and ending
/// with <see cref="Last"/> ([SEP] = 102).
/// </summary>
public sealed record TokenArrayExpectation : Expectation
{
    internal const string Kind = "token_array";

    /// <inheritdoc/>
    [JsonIgnore]
    public override string Type => Kind;

    /// <summary>The first id of every array.</summary>
    public int First { get; init; } = 101;

    /// <summary>The last id of every array.</summary>
    public int Last { get; init; } = 102;

    /// <summary>The fewest ids.</summary>
    public int MinLength { get; init; } = 2;

    /// <summary>The most ids.</summary>
    public int MaxLength { get; init; } = 512;

    internal override IEnumerable<string> Problems()
    {
        if (MinLength < 1 || MaxLength < MinLength)
        {
            yield return "min_length must be at least 1 and at most max_length";
        }
    }

    internal override CompiledCheck Compile(CheckTarget target)
    {
        var column = target.RequiredColumn;
        if (!column.IsArray)
        {
            throw new SuiteDefinitionException($"{Id}: {Kind} needs an array column; {column.Name} is {column.SqlType}");
        }

        var c = column.Quoted;
        return new RowCheck(
            this,
            target,
            p => $"{c} IS NOT NULL AND NOT coalesce(array_ndims({c}) = 1"
                + $" AND cardinality({c}) BETWEEN {p.Add(MinLength)} AND {p.Add(MaxLength)}"
                + $" AND {c}[array_lower({c}, 1)] = {p.Add(First)} AND {c}[array_upper({c}, 1)] = {p.Add(Last)}"
                + $" AND array_position({c}, NULL) IS NULL, false)",
            $"are not [{First}, ..., {Last}] arrays of {MinLength}..{MaxLength} ids");
    }
}
