using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ToxicFunctions.Quality.Expectations;

/// <summary>
/// <c>value_ratio</c>: among rows where the column has a value, the share equal to <see cref="Value"/> lies between
/// <see cref="Min"/> and <see cref="Max"/> (the label ratio: the share of toxic comments).
/// </summary>
public sealed record ValueRatioExpectation : Expectation
{
    internal const string Kind = "value_ratio";

    /// <inheritdoc/>
    [JsonIgnore]
    public override string Type => Kind;

    /// <summary>The value whose share is measured.</summary>
    public required JsonElement Value { get; init; }

    /// <summary>The smallest accepted share (0..1).</summary>
    public double Min { get; init; }

    /// <summary>The largest accepted share (0..1).</summary>
    public double Max { get; init; } = 1;

    internal override IEnumerable<string> Problems()
    {
        if (Min < 0 || Max > 1 || Min > Max)
        {
            yield return "min and max must satisfy 0 <= min <= max <= 1";
        }

        if (Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
        {
            yield return "value must be a string, number or boolean";
        }
    }

    internal override CompiledCheck Compile(CheckTarget target)
    {
        var column = target.RequiredColumn;
        var value = Value.ValueKind == JsonValueKind.String ? Value.GetString()! : Value.GetRawText();
        return new AggregateCheck(
            this,
            target,
            p => $"(avg(({column.Quoted} = CAST({p.Add(value)} AS text)::{column.SqlType})::int) FILTER (WHERE {column.Quoted} IS NOT NULL))::float8",
            (observed, _) =>
            {
                if (observed is not double ratio)
                {
                    return new CheckOutcome(false, null, null, $"no {column.Name} values to measure");
                }

                var passed = ratio >= Min && ratio <= Max;
                return new CheckOutcome(passed, ratio, null, string.Create(
                    CultureInfo.InvariantCulture, $"{ratio:P2} of {column.Name} values are {value}; expected {Min:P0}..{Max:P0}"));
            });
    }
}
