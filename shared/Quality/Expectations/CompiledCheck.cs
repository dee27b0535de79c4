namespace ToxicFunctions.Quality.Expectations;

/// <summary>An expectation in SQL form, bound to its resolved target.</summary>
internal abstract record CompiledCheck(Expectation Expectation, CheckTarget Target);

/// <summary>
/// A row-level check: each row where <see cref="FailingPredicate"/> holds fails. It is counted in the table's single
/// scan, unless <see cref="StandaloneCount"/> gives a query of its own (for checks that need a grouping). Failing rows
/// are sampled by their key with the same predicate.
/// </summary>
internal sealed record RowCheck(
    Expectation Expectation,
    CheckTarget Target,
    Func<SqlParameters, string> FailingPredicate,
    string FailurePhrase,
    Func<SqlParameters, string>? StandaloneCount = null) : CompiledCheck(Expectation, Target)
{
    public CheckOutcome Judge(long failing, long rows) =>
        new(failing == 0, failing, failing, failing == 0 ? $"all {rows} rows pass" : $"{failing} of {rows} rows {FailurePhrase}");
}

/// <summary>
/// A table-level check: one aggregate expression in the table's scan (none when the row count is all it needs),
/// judged with the table's row count.
/// </summary>
internal sealed record AggregateCheck(
    Expectation Expectation,
    CheckTarget Target,
    Func<SqlParameters, string>? Aggregate,
    Func<object?, long, CheckOutcome> Judge) : CompiledCheck(Expectation, Target);
