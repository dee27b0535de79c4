namespace ToxicFunctions.Quality.Expectations;

/// <summary>A column found in the catalog: its name, its quoted identifier, its SQL type (format_type) and whether it is an array.</summary>
internal sealed record ResolvedColumn(string Name, string Quoted, string SqlType, bool IsArray);
