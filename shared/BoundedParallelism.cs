namespace ToxicFunctions;

/// <summary>
/// The options of every data-parallel loop in the product (<see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/>
/// and its kin): at most one worker per processor. Unbounded, Parallel's replicas take every thread the pool injects,
/// which starves the async continuations (HTTP, Npgsql, Kafka) of a process that trains, scores or applies a stream
/// batch while it serves; a test run hung on it once.
/// </summary>
public static class BoundedParallelism
{
    /// <summary>At most <see cref="Environment.ProcessorCount"/> workers, no cancellation.</summary>
    public static ParallelOptions Options { get; } = new() { MaxDegreeOfParallelism = Environment.ProcessorCount };

    /// <summary>At most <see cref="Environment.ProcessorCount"/> workers, stopped by <paramref name="cancellationToken"/>.</summary>
    public static ParallelOptions With(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
}
