namespace ToxicFunctions.LocalHost;

/// <summary>The encoding timer inside the local host (section <c>LocalHost:EncodingTimer</c>).</summary>
internal sealed class EncodingTimerOptions
{
    public const string Section = "LocalHost:EncodingTimer";

    public bool Enabled { get; set; } = true;

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}
