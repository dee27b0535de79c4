namespace ToxicFunctions.Scoring;

/// <summary>
/// The use of a served model by one batch: the model is not disposed before the lease is, even when a newer version
/// replaces it meanwhile. Dispose it once.
/// </summary>
public sealed class ModelLease : IDisposable
{
    private Action? _release;

    /// <summary>Creates a lease of <paramref name="model"/>; <paramref name="release"/> runs once on dispose.</summary>
    public ModelLease(ServedModel model, Action release)
    {
        Model = model;
        _release = release;
    }

    /// <summary>The model.</summary>
    public ServedModel Model { get; }

    /// <inheritdoc />
    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}
