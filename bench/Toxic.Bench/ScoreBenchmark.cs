using System.Diagnostics;
using System.Globalization;
using System.Net;
using ToxicFunctions.Csv;
using ToxicFunctions.Tokenization;
using ToxicFunctions.Training;

namespace ToxicFunctions.Bench;

/// <summary>
/// Scoring throughput over HTTP against the physical limit measured in the same run. Two models are trained on the
/// seeded stratified 80 % of text_comment_1.csv: <c>toxic train</c>'s default (the fast model) and the encoder model
/// the pipeline registers (<c>--encoder-layers 4 --cascade</c>: served as the cascade with the fast model). Each is
/// served by <c>toxic serve</c> in its own process; wrk (Debian's package: C, one thread) sends one real hold-out
/// comment per request (<c>POST /api/score {"text"}</c>) at concurrency 1, 16 and 64 for a fixed time each, after a
/// warm-up, with its latency percentiles. The limit is the
/// same model's in-process batched throughput (<see cref="ToxicScorer.ScoreTexts"/> over the same comments in batches
/// of 256, the better of one caller and one per processor): ratio = HTTP requests/s at concurrency 16 / in-process
/// comments/s. The serving path's own cost is measured too: the same server answering the smallest request (a
/// one-word comment) at concurrency 16 (<c>floor_rps</c>); less that comment's in-process cost, it estimates what serving
/// adds to each request (HTTP, JSON, batching, and wrk's share of the processors), printed in processor milliseconds. The last line holds the concurrency-16 figures of both models.
/// </summary>
public static class ScoreBenchmark
{
    private const int Seed = 42;
    private const double HoldoutFraction = 0.2;
    private const string SmallestComment = "word";
    private static readonly int[] s_concurrency = [1, 16, 64];

    /// <summary>Runs the benchmark: <c>score [--seconds S]</c> (per concurrency level and model, default 6). Returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var seconds = 6.0;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--seconds" && i + 1 < args.Length)
            {
                seconds = double.Parse(args[++i], CultureInfo.InvariantCulture);
            }
        }

        var sample = BenchData.SamplePath();
        if (sample is null)
        {
            Console.Error.WriteLine("score: text_comment_1.csv not found (set TOXIC_SAMPLE_DATA)");
            return 2;
        }

        var (records, _) = await CommentCsvReader.ReadFileAsync(sample);
        var labels = records.Select(r => (byte)r.Label).ToArray();
        var (train, holdout) = StratifiedSplit.Holdout(labels, HoldoutFraction, Seed, records.Select(r => r.Text).ToArray());
        var texts = holdout.Select(i => records[i].Text).ToArray();
        var work = Directory.CreateTempSubdirectory("toxic-score-bench-");
        try
        {
            var trainCsv = Path.Combine(work.FullName, "train.csv");
            await BenchProcess.WriteCsvAsync(trainCsv, train.Select(i => records[i]));
            Console.WriteLine($"split: {train.Length} training / {holdout.Length} hold-out comments (stratified, seed {Seed}) of {sample}");

            var figures = new List<Figures>();
            // The fast model is toxic train's default; the encoder model is what the pipeline registers: the encoder
            // model in a cascade with the fast one (toxic train --encoder-layers 4 --cascade, as PipelineTrainer trains).
            foreach (var (name, arguments) in new[] { ("fast", new[] { "--encoder-layers", "0" }), ("encoder", ["--encoder-layers", $"{new FeatureSettings().EncoderLayers}", "--cascade"]) })
            {
                var model = Path.Combine(work.FullName, name);
                var (_, trainSeconds) = await BenchProcess.RunAsync(
                    "dotnet", [BenchProcess.Toxic, "train", "--data", trainCsv, "--out", model, "--seed", $"{Seed}", .. arguments]);
                Console.WriteLine($"{name}: toxic train {string.Join(' ', arguments)} took {trainSeconds:F1} s");
                figures.Add(await MeasureAsync(name, model, texts, seconds));
            }

            var (fast, encoder) = (figures[0], figures[1]);
            Console.WriteLine(
                $"score rps={fast.Rps:F0} p50_ms={fast.P50:F1} p99_ms={fast.P99:F1} inproc_rps={fast.InProcess:F0} ratio={fast.Rps / fast.InProcess:F2} "
                    + $"encoder_rps={encoder.Rps:F0} encoder_p99_ms={encoder.P99:F1} encoder_inproc_rps={encoder.InProcess:F0} encoder_ratio={encoder.Rps / encoder.InProcess:F2} "
                    + $"floor_rps={fast.FloorRps:F0} encoder_floor_rps={encoder.FloorRps:F0}");
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>The in-process limit, then HTTP at each concurrency; returns the concurrency-16 figures.</summary>
    private static async Task<Figures> MeasureAsync(string name, string model, string[] texts, double seconds)
    {
        double inProcess, inProcessSmallest;
        using (var scorer = await ToxicScorer.LoadAsync(model, WordPieceTokenizer.DistilBertBaseUncased))
        {
            inProcess = InProcessRate(scorer, texts, seconds);
            inProcessSmallest = InProcessRate(scorer, [.. Enumerable.Repeat(SmallestComment, 4096)], seconds / 2);
        }

        Console.WriteLine($"{name}: in-process batched {inProcess:F0} comments/s");
        var port = FreePort();
        var script = await WriteWrkScriptAsync(texts);
        using var server = Process.Start(new ProcessStartInfo("dotnet", [BenchProcess.Toxic, "serve", "--model", model, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            using (var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") })
            {
                await WaitUntilReadyAsync(http, server);
            }

            var smallest = await WriteWrkScriptAsync([SmallestComment]);
            double floor;
            try
            {
                await WrkAsync(port, smallest, 16, Math.Max(1, (int)Math.Round(seconds / 4))); // warm-up
                (floor, _, _, _) = await WrkAsync(port, smallest, 16, (int)Math.Ceiling(seconds));
            }
            finally
            {
                File.Delete(smallest);
            }

            var serving = Math.Max(0, 1 / floor - 1 / inProcessSmallest);
            Console.WriteLine(
                $"{name}: smallest request (one word) at concurrency=16 rps={floor:F0}, in-process {inProcessSmallest:F0}/s: serving adds about "
                    + $"{serving * 1e3 * Environment.ProcessorCount:F3} ms of processor time per request");
            Figures? at16 = null;
            foreach (var concurrency in s_concurrency)
            {
                await WrkAsync(port, script, concurrency, Math.Max(1, (int)Math.Round(seconds / 4))); // warm-up
                var (rps, p50, p99, requests) = await WrkAsync(port, script, concurrency, (int)Math.Ceiling(seconds));
                var figures = new Figures(rps, p50, p99, inProcess, floor);
                Console.WriteLine(
                    $"{name}: concurrency={concurrency} requests={requests} rps={figures.Rps:F0} p50_ms={figures.P50:F1} p99_ms={figures.P99:F1} ratio={figures.Rps / inProcess:F2}");
                if (concurrency == 16)
                {
                    at16 = figures;
                }
            }

            return at16!;
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            File.Delete(script);
        }
    }

    /// <summary>
    /// Comments per second of batched in-process scoring: the better of one caller and one caller per processor, each
    /// scoring batches of 256 of <paramref name="texts"/> in turn for about <paramref name="seconds"/>.
    /// </summary>
    private static double InProcessRate(ToxicScorer scorer, string[] texts, double seconds)
    {
        scorer.ScoreTexts(texts.Take(256).ToArray()); // warm-up
        double Rate(int callers)
        {
            var scored = 0;
            var stopwatch = Stopwatch.StartNew();
            Parallel.For(0, callers, new ParallelOptions { MaxDegreeOfParallelism = callers }, caller =>
            {
                var done = 0;
                for (var start = caller * 256 % texts.Length; stopwatch.Elapsed.TotalSeconds < seconds / 2; start = (start + callers * 256) % texts.Length)
                {
                    var batch = texts.AsSpan(start, Math.Min(256, texts.Length - start)).ToArray();
                    scorer.ScoreTexts(batch);
                    done += batch.Length;
                }

                Interlocked.Add(ref scored, done);
            });
            return scored / stopwatch.Elapsed.TotalSeconds;
        }

        return Math.Max(Rate(1), Rate(Environment.ProcessorCount));
    }

    /// <summary>
    /// A wrk script sending the comments one per request, in turn (<c>POST /api/score {"text"}</c>). wrk (C, epoll, one
    /// thread) is the load: it takes far less of the two processors than a .NET client would.
    /// </summary>
    private static async Task<string> WriteWrkScriptAsync(string[] texts)
    {
        var builder = new System.Text.StringBuilder("local bodies = {\n");
        foreach (var text in texts)
        {
            var json = System.Text.Json.JsonSerializer.Serialize(new { text });
            builder.Append("  \"").Append(json.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append("\",\n");
        }

        builder.Append("""
            }
            local i = 0
            local headers = { ["Content-Type"] = "application/json" }
            request = function()
              i = i % #bodies + 1
              return wrk.format("POST", "/api/score", headers, bodies[i])
            end
            """);
        var path = Path.Combine(Path.GetTempPath(), $"toxic-score-bench-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(path, builder.ToString());
        return path;
    }

    /// <summary>Runs wrk at <paramref name="concurrency"/> connections for <paramref name="seconds"/>: requests/s, p50 and p99 in ms, requests.</summary>
    /// <exception cref="InvalidOperationException">A request failed (a non-2xx answer or a socket error).</exception>
    private static async Task<(double Rps, double P50, double P99, long Requests)> WrkAsync(int port, string script, int concurrency, int seconds)
    {
        var (output, _) = await BenchProcess.RunAsync(
            "wrk", "-t1", $"-c{concurrency}", $"-d{seconds}s", "--latency", "-s", script, $"http://127.0.0.1:{port}");
        if (output.Contains("Non-2xx", StringComparison.Ordinal) || output.Contains("Socket errors", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"wrk saw failed requests:\n{output}");
        }

        var lines = output.Split('\n', StringSplitOptions.TrimEntries);
        double Latency(string percentile) => Milliseconds(lines.First(l => l.StartsWith(percentile, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        var rps = double.Parse(lines.First(l => l.StartsWith("Requests/sec:", StringComparison.Ordinal)).Split(':')[1], CultureInfo.InvariantCulture);
        var requests = long.Parse(lines.First(l => l.Contains(" requests in ", StringComparison.Ordinal)).Split(' ')[0], CultureInfo.InvariantCulture);
        return (rps, Latency("50%"), Latency("99%"), requests);
    }

    /// <summary>A wrk duration ("812.00us", "1.23ms", "2.01s") in milliseconds.</summary>
    private static double Milliseconds(string value) =>
        value.EndsWith("us", StringComparison.Ordinal) ? double.Parse(value[..^2], CultureInfo.InvariantCulture) / 1000
        : value.EndsWith("ms", StringComparison.Ordinal) ? double.Parse(value[..^2], CultureInfo.InvariantCulture)
        : value.EndsWith('m') ? double.Parse(value[..^1], CultureInfo.InvariantCulture) * 60_000
        : double.Parse(value[..^1], CultureInfo.InvariantCulture) * 1000;

    private static async Task WaitUntilReadyAsync(HttpClient http, Process server)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (DateTime.UtcNow < deadline && !server.HasExited)
        {
            try
            {
                using var health = await http.GetAsync("api/health");
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException("toxic serve did not become ready");
    }

    private static double Percentile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record Figures(double Rps, double P50, double P99, double InProcess, double FloorRps);
}
