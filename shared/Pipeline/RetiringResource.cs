namespace ToxicFunctions.Pipeline;

/// <summary>
/// A disposable shared by concurrent users: each use is bracketed by <see cref="TryAcquire"/> and <see cref="Release"/>;
/// once <see cref="Retire"/> is called no new use starts, and the value is disposed when the last one ends.
/// </summary>
internal sealed class RetiringResource<T>(T value)
    where T : IDisposable
{
    private readonly Lock _gate = new();
    private int _holders;
    private bool _retired;

    public T Value { get; } = value;

    /// <summary>Starts a use; false once retired.</summary>
    public bool TryAcquire()
    {
        lock (_gate)
        {
            if (_retired)
            {
                return false;
            }

            _holders++;
            return true;
        }
    }

    /// <summary>Ends a use started by <see cref="TryAcquire"/>.</summary>
    public void Release()
    {
        lock (_gate)
        {
            if (--_holders > 0 || !_retired)
            {
                return;
            }
        }

        Value.Dispose();
    }

    /// <summary>Lets no new use start; disposes the value now or when the last use ends.</summary>
    public void Retire()
    {
        lock (_gate)
        {
            if (_retired)
            {
                return;
            }

            _retired = true;
            if (_holders > 0)
            {
                return;
            }
        }

        Value.Dispose();
    }
}
