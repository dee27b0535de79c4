namespace ToxicFunctions.LocalHost;

/// <summary>
/// Where the local host runs the timer of <c>EncodeStagedComments</c> (section <c>LocalHost:EncodingTimer</c>); its
/// schedule is the function's own, setting <c>Pipeline:EncodingSchedule</c>.
/// </summary>
internal sealed class EncodingTimerOptions
{
    public const string Section = "LocalHost:EncodingTimer";

    /// <summary>Whether staged comments are encoded at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Whether the timer runs in an encoder worker process of its own (the default), as the encoder function app runs in
    /// its own Deployment under KEDA, instead of inside the host that serves the stream, ingestion and scoring.
    /// </summary>
    public bool OwnProcess { get; set; } = true;

    /// <summary>
    /// The nice value (0..19) of the worker process: the kernel gives the host's threads the processors first, and the
    /// worker the time they leave. 19 by default; 0 keeps the worker at the host's priority.
    /// </summary>
    public int Nice { get; set; } = 19;

    /// <summary>How long the host waits before restarting a worker that exited.</summary>
    public TimeSpan RestartDelay { get; set; } = TimeSpan.FromSeconds(2);
}
