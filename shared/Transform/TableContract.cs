using System.Text.Json;

namespace ToxicFunctions.Transform;

/// <summary>
/// The declared shape of a published table (shared/Transform/contract.json): column names, SQL types as PostgreSQL
/// names them (format_type) and nullability. Checked against the catalog before the transform commits.
/// </summary>
public sealed record TableContract(string Table, IReadOnlyList<ContractColumn> Columns)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { RespectNullableAnnotations = true };

    /// <summary>The contract of production.comments embedded in this assembly.</summary>
    public static TableContract ProductionComments { get; } = Load();

    /// <summary>Parses a contract.</summary>
    public static TableContract Parse(string json) =>
        JsonSerializer.Deserialize<TableContract>(json, s_json) ?? throw new InvalidOperationException("The contract file is empty.");

    private static TableContract Load()
    {
        using var stream = typeof(TableContract).Assembly.GetManifestResourceStream("ToxicFunctions.Transform.contract.json")!;
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }
}
