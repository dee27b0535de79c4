namespace ToxicFunctions.Transform;

/// <summary>
/// One versioned SQL model (shared/Transform/Models/NN_name.sql): its name (the file name without number and
/// extension), its SQL, and the models it depends on (header lines <c>-- depends_on: a, b</c>).
/// </summary>
public sealed record TransformModel(string Name, string FileName, string Sql, IReadOnlyList<string> DependsOn);
