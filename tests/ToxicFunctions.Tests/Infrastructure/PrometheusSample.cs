using System.Globalization;
using System.Text.RegularExpressions;

namespace ToxicFunctions.Tests.Infrastructure;

/// <summary>One sample of a Prometheus text exposition (<c>name{label="value",...} number</c>).</summary>
internal sealed partial record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    /// <summary>Every sample of <paramref name="exposition"/>, comments (<c># HELP</c>, <c># TYPE</c>) left out.</summary>
    /// <exception cref="FormatException">A line is not a sample.</exception>
    public static List<PrometheusSample> Parse(string exposition)
    {
        var samples = new List<PrometheusSample>();
        foreach (var line in exposition.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            var match = SampleLine().Match(line);
            if (!match.Success)
            {
                throw new FormatException($"not a Prometheus sample: {line}");
            }

            var labels = LabelPair().Matches(match.Groups["labels"].Value)
                .ToDictionary(m => m.Groups["name"].Value, m => Regex.Unescape(m.Groups["value"].Value), StringComparer.Ordinal);
            var value = match.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var number => double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            samples.Add(new PrometheusSample(match.Groups["name"].Value, labels, value));
        }

        return samples;
    }

    /// <summary>Scrapes <c>GET /metrics</c> of <paramref name="http"/>'s server as Prometheus does (its Accept header) and parses every sample.</summary>
    public static async Task<List<PrometheusSample>> ScrapeAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
        request.Headers.TryAddWithoutValidation("Accept", "text/plain;version=0.0.4;q=1,*/*;q=0.1");
        using var response = await http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// The sum of the samples named <paramref name="name"/> that carry <paramref name="labels"/> (among others), 0 when
    /// there is none. A sum, because a host's scrape can hold a series of each host in the test process (a run showed two
    /// for one model): OpenTelemetry subscribes to meters by name.
    /// </summary>
    public static double ValueOf(IEnumerable<PrometheusSample> samples, string name, params (string Name, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value)).Sum(s => s.Value);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(""""(?<name>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(\\.|[^"\\])*)"""")]
    private static partial Regex LabelPair();
}
