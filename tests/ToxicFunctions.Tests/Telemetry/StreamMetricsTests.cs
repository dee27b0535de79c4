using Confluent.Kafka;
using ToxicFunctions.Tests.Infrastructure;
using ToxicFunctions.Tests.Streaming;

namespace ToxicFunctions.Tests.Telemetry;

/// <summary>
/// The change stream's metrics as Prometheus scrapes them from the local host running the relay and the Kafka trigger:
/// applied changes, each change's commit-to-visible latency and a dead letter, read back at <c>GET /metrics</c>.
/// </summary>
public sealed class StreamMetricsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Applied_changes_their_latency_and_a_dead_letter_are_counted()
    {
        var scenario = new StreamScenario(database);
        await using var host = await scenario.StartAsync(extra: new Dictionary<string, string?> { ["Telemetry:SampleInterval"] = "00:00:01" });
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        // Other tests' hosts may run in this process too: the figures are compared before and after.
        var before = await PrometheusSample.ScrapeAsync(http);
        await scenario.InsertAsync(300);
        await scenario.AssertStagingEqualsSourceAsync();
        using (var producer = StreamScenario.Producer())
        {
            producer.Produce(scenario.Topic, new Message<byte[]?, byte[]?> { Key = "k1"u8.ToArray(), Value = "{this is not json"u8.ToArray() });
            producer.Flush(TimeSpan.FromSeconds(30));
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await scenario.CountAsync("SELECT count(*) FROM staging.stream_dead_letters") < 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "the poison event was not dead-lettered within 30 s");
            await Task.Delay(100);
        }

        var after = await PrometheusSample.ScrapeAsync(http);
        double Delta(string name) => PrometheusSample.ValueOf(after, name) - PrometheusSample.ValueOf(before, name);
        Assert.True(Delta("toxic_stream_changes_applied_total") >= 300, "fewer than the 300 applied changes counted");
        Assert.True(Delta("toxic_stream_latency_seconds_count") >= 300, "fewer than 300 latencies recorded");
        Assert.True(Delta("toxic_stream_latency_seconds_sum") > 0, "no latency measured");
        Assert.True(Delta("toxic_stream_dead_letters_total") >= 1, "the dead letter was not counted");
        Assert.Contains(after, s => s.Name == "toxic_stream_offset_gaps_total");
        Assert.Contains(after, s => s.Name == "toxic_stream_offset_gap_events_total"); // exported with no gap yet

        // The sampled gauges: the group has consumed the scenario's topic to its end (a sample per second).
        deadline = DateTime.UtcNow.AddSeconds(60);
        List<PrometheusSample> sampled;
        while (!(sampled = await PrometheusSample.ScrapeAsync(http)).Any(s => s.Name == "toxic_stream_consumer_lag" && s.Labels["topic"] == scenario.Topic) ||
            PrometheusSample.ValueOf(sampled, "toxic_stream_consumer_lag", ("topic", scenario.Topic)) > 0)
        {
            Assert.True(
                DateTime.UtcNow < deadline,
                "the consumer lag of the scenario's topic was not sampled down to 0 within 60 s: " +
                string.Join(", ", sampled.Where(s => s.Name == "toxic_stream_consumer_lag").Select(s => $"{string.Join(",", s.Labels.Select(l => $"{l.Key}={l.Value}"))} {s.Value}")));
            await Task.Delay(200);
        }

        Assert.Contains(sampled, s => s.Name == "toxic_encoder_backlog");
    }
}
