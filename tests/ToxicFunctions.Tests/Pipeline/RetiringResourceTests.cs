using ToxicFunctions.Pipeline;

namespace ToxicFunctions.Tests.Pipeline;

/// <summary>A model replaced while requests score with it is disposed after the last of them, never under one.</summary>
public sealed class RetiringResourceTests
{
    [Fact]
    public void Retiring_waits_for_the_last_use()
    {
        var value = new CountingDisposable();
        var resource = new RetiringResource<CountingDisposable>(value);
        Assert.True(resource.TryAcquire());
        Assert.True(resource.TryAcquire());

        resource.Retire();
        Assert.False(resource.TryAcquire());
        Assert.Equal(0, value.Disposals);
        resource.Release();
        Assert.Equal(0, value.Disposals);
        resource.Release();
        Assert.Equal(1, value.Disposals);

        resource.Retire();
        Assert.Equal(1, value.Disposals);
    }

    [Fact]
    public void An_unused_resource_is_disposed_when_retired()
    {
        var value = new CountingDisposable();
        var resource = new RetiringResource<CountingDisposable>(value);
        Assert.True(resource.TryAcquire());
        resource.Release();
        Assert.Equal(0, value.Disposals);

        resource.Retire();
        Assert.Equal(1, value.Disposals);
    }

    [Fact]
    public void Concurrent_uses_and_a_retirement_dispose_exactly_once_after_every_use()
    {
        for (var round = 0; round < 200; round++)
        {
            var value = new CountingDisposable();
            var resource = new RetiringResource<CountingDisposable>(value);
            var usedAfterDisposal = 0;
            Parallel.For(0, 8, i =>
            {
                if (i == 3)
                {
                    resource.Retire();
                }
                else if (resource.TryAcquire())
                {
                    if (value.Disposals > 0)
                    {
                        Interlocked.Increment(ref usedAfterDisposal);
                    }

                    resource.Release();
                }
            });

            Assert.Equal(0, usedAfterDisposal);
            Assert.Equal(1, value.Disposals);
        }
    }

    private sealed class CountingDisposable : IDisposable
    {
        private int _disposals;

        public int Disposals => Volatile.Read(ref _disposals);

        public void Dispose() => Interlocked.Increment(ref _disposals);
    }
}
