namespace ToxicFunctions.LocalHost;

/// <summary>The CDC relay inside the local host (section <c>LocalHost:CdcRelay</c>).</summary>
internal sealed class CdcRelayServiceOptions
{
    public const string Section = "LocalHost:CdcRelay";

    public bool Enabled { get; set; } = true;

    public TimeSpan RestartDelay { get; set; } = TimeSpan.FromSeconds(2);
}
