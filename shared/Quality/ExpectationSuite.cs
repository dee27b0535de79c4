using ToxicFunctions.Quality.Expectations;

namespace ToxicFunctions.Quality;

/// <summary>
/// A data-quality suite as declared in a JSON file (shared/Quality/suites/*.json): the table it checks by default, the
/// column that names a row in failure samples, and one entry per expectation.
/// </summary>
public sealed record ExpectationSuite
{
    /// <summary>The suite's name (e.g. <c>staging</c>).</summary>
    public required string Name { get; init; }

    /// <summary>What the suite guards.</summary>
    public string? Description { get; init; }

    /// <summary>The relation (table or view, schema-qualified) that expectations check unless they name another.</summary>
    public required string Table { get; init; }

    /// <summary>The column whose values identify failing rows in samples, unless an expectation names another.</summary>
    public required string Key { get; init; }

    /// <summary>How many failing keys each result keeps.</summary>
    public int SampleSize { get; init; } = 5;

    /// <summary>The expectations, in report order.</summary>
    public required IReadOnlyList<Expectation> Expectations { get; init; }
}
