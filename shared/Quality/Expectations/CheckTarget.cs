namespace ToxicFunctions.Quality.Expectations;

/// <summary>
/// Where an expectation runs, with identifiers taken from the catalog and quoted by PostgreSQL (quote_ident): never
/// the text of the suite file.
/// </summary>
internal sealed record CheckTarget(string Table, string QuotedTable, string QuotedKey, ResolvedColumn? Column)
{
    public ResolvedColumn RequiredColumn => Column ?? throw new InvalidOperationException($"An expectation on {Table} needs a column.");
}
