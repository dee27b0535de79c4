namespace ToxicFunctions.Transform;

/// <summary>One column of a <see cref="TableContract"/>.</summary>
public sealed record ContractColumn(string Name, string Type, bool Nullable);
