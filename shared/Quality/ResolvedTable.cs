using ToxicFunctions.Quality.Expectations;

namespace ToxicFunctions.Quality;

/// <summary>A relation found in the catalog: the name as the suite wrote it, its quoted qualified name, and its columns by name.</summary>
internal sealed record ResolvedTable(string Name, string Quoted, IReadOnlyDictionary<string, ResolvedColumn> Columns)
{
    public ResolvedColumn Column(string name, string expectationId) =>
        Columns.TryGetValue(name, out var column)
            ? column
            : throw new SuiteDefinitionException($"{expectationId}: {Name} has no column '{name}' (it has {string.Join(", ", Columns.Keys)})");
}
