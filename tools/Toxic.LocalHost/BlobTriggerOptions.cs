namespace ToxicFunctions.LocalHost;

/// <summary>How the local host polls the raw blob container (section <c>LocalHost:BlobTrigger</c>).</summary>
internal sealed class BlobTriggerOptions
{
    public const string Section = "LocalHost:BlobTrigger";

    public bool Enabled { get; set; } = true;

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
}
