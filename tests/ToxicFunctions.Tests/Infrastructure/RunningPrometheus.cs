using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ToxicFunctions.Tests.Infrastructure;

/// <summary>
/// A real Prometheus server (Debian's prometheus package) on a free loopback port with a data folder of its own,
/// scraping one target every second and evaluating the given rule files every second; its process is killed (with its
/// children) and its folder deleted on dispose. Every wait on it is bounded.
/// </summary>
internal sealed class RunningPrometheus : IAsyncDisposable
{
    /// <summary>The scrape job of the target, as deploy/prometheus/prometheus.yml names the local host's.</summary>
    public const string Job = "toxicfunctions-local";

    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly DirectoryInfo _work;
    private readonly StringBuilder _log;

    private RunningPrometheus(Process process, DirectoryInfo work, StringBuilder log, Uri baseAddress)
    {
        _process = process;
        _work = work;
        _log = log;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>A client of the server's HTTP API (/api/v1/...).</summary>
    public HttpClient Http { get; }

    /// <summary>What the server has logged so far, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts the server scraping <c>GET /metrics</c> of <paramref name="target"/>, and waits until it is ready.</summary>
    public static async Task<RunningPrometheus> StartAsync(Uri target, IReadOnlyList<string> ruleFiles)
    {
        var work = Directory.CreateTempSubdirectory("toxic-prometheus-");
        var port = ToxicCli.FreePort();
        var config = new StringBuilder()
            .AppendLine("global:")
            .AppendLine("  scrape_interval: 1s")
            .AppendLine("  scrape_timeout: 1s")
            .AppendLine("  evaluation_interval: 1s")
            .AppendLine("rule_files:");
        foreach (var file in ruleFiles)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"  - {JsonSerializer.Serialize(file)}");
        }

        config.AppendLine("scrape_configs:")
            .AppendLine(CultureInfo.InvariantCulture, $"  - job_name: {Job}")
            .AppendLine("    metrics_path: /metrics")
            .AppendLine("    static_configs:")
            .AppendLine(CultureInfo.InvariantCulture, $"      - targets: [{JsonSerializer.Serialize(target.Authority)}]");
        var configFile = Path.Combine(work.FullName, "prometheus.yml");
        await File.WriteAllTextAsync(configFile, config.ToString());

        var start = new ProcessStartInfo("prometheus")
        {
            WorkingDirectory = work.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            $"--config.file={configFile}",
            $"--storage.tsdb.path={Path.Combine(work.FullName, "data")}",
            $"--web.listen-address=127.0.0.1:{port}",
            "--storage.tsdb.retention.time=1h",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var log = new StringBuilder();
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            work.Delete(recursive: true);
            throw new InvalidOperationException(
                $"prometheus could not be started ({e.Message}): Debian's prometheus package has it; scripts/services.sh up (run by ./test.sh) installs it.", e);
        }

        void Append(object sender, DataReceivedEventArgs line)
        {
            lock (log)
            {
                log.AppendLine(line.Data);
            }
        }

        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RunningPrometheus(process, work, log, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            await server.WaitReadyAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The samples of an instant query, each as its labels and value; fails on an error answer.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string promQl)
    {
        using var response = await Http.GetAsync($"api/v1/query?query={Uri.EscapeDataString(promQl)}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(
            response.IsSuccessStatusCode && body.GetProperty("status").GetString() == "success",
            $"Prometheus refused {promQl}: {(int)response.StatusCode} {body}");
        var data = body.GetProperty("data");
        if (data.GetProperty("resultType").GetString() != "vector")
        {
            return [];
        }

        return [.. data.GetProperty("result").EnumerateArray().Select(r => (
            (IReadOnlyDictionary<string, string>)r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal),
            double.Parse(r.GetProperty("value")[1].GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)))];
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            // Bounded: a process that will not die must not hang the run (its folder may then stay behind).
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(exited.Token);
            _work.Delete(recursive: true);
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task WaitReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(_process.HasExited, $"prometheus exited with {(_process.HasExited ? _process.ExitCode : 0)} while starting:\n{Log}");
            try
            {
                using var ready = await Http.GetAsync("-/ready");
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Assert.True(deadline.Elapsed < s_startTimeout, $"prometheus was not ready within {s_startTimeout}:\n{Log}");
            await Task.Delay(200);
        }
    }
}
