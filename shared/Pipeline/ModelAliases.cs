namespace ToxicFunctions.Pipeline;

/// <summary>The registry's aliases.</summary>
public static class ModelAliases
{
    /// <summary>The version in service.</summary>
    public const string Champion = "champion";

    /// <summary>The latest version that did not beat the champion.</summary>
    public const string Challenger = "challenger";
}
