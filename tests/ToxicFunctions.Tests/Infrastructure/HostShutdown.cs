using Microsoft.Extensions.Hosting;

namespace ToxicFunctions.Tests.Infrastructure;

/// <summary>Stops and disposes a test's host within a bound, so that a host that cannot stop fails its test instead of hanging the run.</summary>
internal static class HostShutdown
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(60);

    /// <summary>Stops <paramref name="host"/> (its hosted services get 60 s) and disposes it (60 s more).</summary>
    /// <exception cref="TimeoutException">The disposal did not end within 60 s.</exception>
    public static async Task StopAndDisposeAsync(IHost host)
    {
        using (var stopping = new CancellationTokenSource(s_limit))
        {
            await host.StopAsync(stopping.Token);
        }

        await ((IAsyncDisposable)host).DisposeAsync().AsTask().WaitAsync(s_limit);
    }
}
