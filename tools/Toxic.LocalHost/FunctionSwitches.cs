namespace ToxicFunctions.LocalHost;

/// <summary>
/// The Functions host's per-function switch: app setting <c>AzureWebJobs.NAME.Disabled</c> = <c>true</c> (also read as
/// <c>AzureWebJobs:NAME:Disabled</c>, which environment variable <c>AzureWebJobs__NAME__Disabled</c> gives) makes the
/// host ignore the function's trigger.
/// </summary>
internal static class FunctionSwitches
{
    /// <summary>Whether the function is switched off.</summary>
    public static bool IsDisabled(IConfiguration configuration, string functionName) =>
        IsTrue(configuration[$"AzureWebJobs.{functionName}.Disabled"]) || IsTrue(configuration[$"AzureWebJobs:{functionName}:Disabled"]);

    private static bool IsTrue(string? value) => bool.TryParse(value, out var on) ? on : value == "1";
}
