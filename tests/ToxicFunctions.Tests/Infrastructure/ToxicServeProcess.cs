using System.Diagnostics;
using System.Net;

namespace ToxicFunctions.Tests.Infrastructure;

/// <summary><c>toxic serve --model DIR</c> running as its own process on a free loopback port, ready once /api/health says so.</summary>
internal sealed class ToxicServeProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ToxicServeProcess(Process process, HttpClient http)
    {
        _process = process;
        Http = http;
    }

    /// <summary>A client addressed at the server.</summary>
    public HttpClient Http { get; }

    /// <summary>Starts the server and waits (at most 60 s) until <c>GET /api/health</c> answers 200.</summary>
    public static async Task<ToxicServeProcess> StartAsync(string modelDirectory)
    {
        var port = ToxicCli.FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { ToxicCli.DllPath, "serve", "--model", modelDirectory, "--urls", $"http://127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var errors = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ToxicServeProcess(process, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                using var health = await server.Http.GetAsync("api/health");
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
            }

            if (process.HasExited || DateTime.UtcNow >= deadline)
            {
                await server.DisposeAsync();
                lock (errors)
                {
                    throw new InvalidOperationException($"toxic serve did not become ready: {errors}");
                }
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
