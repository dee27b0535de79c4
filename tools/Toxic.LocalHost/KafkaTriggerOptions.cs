namespace ToxicFunctions.LocalHost;

/// <summary>The local host's Kafka trigger (section <c>LocalHost:KafkaTrigger</c>).</summary>
internal sealed class KafkaTriggerOptions
{
    public const string Section = "LocalHost:KafkaTrigger";

    public bool Enabled { get; set; } = true;

    /// <summary>How long a batch waits for more events after its first one.</summary>
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How often stored offsets are committed to the group (the Kafka extension's AutoCommitIntervalMs, 200 ms).</summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromMilliseconds(200);
}
