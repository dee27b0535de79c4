using System.Globalization;
using System.Text.Json.Serialization;
using System.Xml;

namespace ToxicFunctions.Quality.Expectations;

/// <summary>
/// <c>freshness</c>: the newest value of a timestamp column is at most <see cref="MaxAge"/> old (an ISO 8601 duration
/// such as <c>P7D</c> or <c>PT12H</c>), measured by the database clock.
/// </summary>
public sealed record FreshnessExpectation : Expectation
{
    internal const string Kind = "freshness";

    /// <inheritdoc/>
    [JsonIgnore]
    public override string Type => Kind;

    /// <summary>The largest accepted age of the newest row, as an ISO 8601 duration.</summary>
    public required string MaxAge { get; init; }

    internal TimeSpan MaxAgeSpan => XmlConvert.ToTimeSpan(MaxAge);

    internal override IEnumerable<string> Problems()
    {
        string? problem = null;
        try
        {
            if (MaxAgeSpan <= TimeSpan.Zero)
            {
                problem = "max_age must be positive";
            }
        }
        catch (FormatException)
        {
            problem = $"max_age '{MaxAge}' is not an ISO 8601 duration (e.g. P7D, PT12H)";
        }

        if (problem is not null)
        {
            yield return problem;
        }
    }

    internal override CompiledCheck Compile(CheckTarget target)
    {
        var column = target.RequiredColumn;
        var maxSeconds = MaxAgeSpan.TotalSeconds;
        return new AggregateCheck(
            this,
            target,
            _ => $"extract(epoch FROM now() - max({column.Quoted}))::float8",
            (observed, _) => observed is double age
                ? new CheckOutcome(age <= maxSeconds, age, null, string.Create(
                    CultureInfo.InvariantCulture, $"newest {column.Name} is {TimeSpan.FromSeconds(Math.Max(0, age)):g} old; expected at most {MaxAgeSpan:g}"))
                : new CheckOutcome(false, null, null, $"no {column.Name} values: nothing is fresh"));
    }
}
