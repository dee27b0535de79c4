namespace ToxicFunctions.Cli;

/// <summary>
/// A synchronous <see cref="IProgress{T}"/>: <see cref="Progress{T}"/> posts each report to the thread pool, which
/// would reorder them and outlive the work; a <see cref="ProgressLine"/> is cheap and thread-safe, so it is called directly.
/// </summary>
internal sealed class ProgressReporter<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
