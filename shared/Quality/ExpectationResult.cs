using System.Text.Json;

namespace ToxicFunctions.Quality;

/// <summary>
/// The result of one expectation: pass or fail, the observed value (failing rows, row count, ratio or age in seconds,
/// by kind), how many rows failed and a few of their keys, and the query that lists the failing rows.
/// </summary>
public sealed record ExpectationResult(
    string Id,
    string Type,
    Severity Severity,
    string Table,
    string? Column,
    bool Passed,
    double? ObservedValue,
    long? FailingCount,
    long RowsChecked,
    IReadOnlyList<string> SampleKeys,
    string Detail,
    string? FailingRowsQuery,
    JsonElement Definition);
