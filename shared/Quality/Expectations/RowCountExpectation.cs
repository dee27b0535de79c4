using System.Text.Json.Serialization;

namespace ToxicFunctions.Quality.Expectations;

/// <summary><c>row_count</c>: the relation holds between <see cref="Min"/> and <see cref="Max"/> rows (either bound may be left out).</summary>
public sealed record RowCountExpectation : Expectation
{
    internal const string Kind = "row_count";

    /// <inheritdoc/>
    [JsonIgnore]
    public override string Type => Kind;

    /// <summary>The fewest rows.</summary>
    public long? Min { get; init; }

    /// <summary>The most rows.</summary>
    public long? Max { get; init; }

    internal override bool NeedsColumn => false;

    internal override IEnumerable<string> Problems()
    {
        if (Min is null && Max is null)
        {
            yield return "row_count needs min, max or both";
        }

        if (Min > Max)
        {
            yield return "min must not exceed max";
        }
    }

    internal override CompiledCheck Compile(CheckTarget target) =>
        new AggregateCheck(this, target, null, (_, rows) =>
        {
            var passed = (Min is null || rows >= Min) && (Max is null || rows <= Max);
            return new CheckOutcome(passed, rows, null, $"{rows} rows; expected {Min?.ToString() ?? "any"}..{Max?.ToString() ?? "any"}");
        });
}
