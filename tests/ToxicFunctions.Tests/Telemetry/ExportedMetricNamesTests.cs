using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Telemetry;

/// <summary>
/// <see cref="ExportedMetrics"/>, the list of names the alert rules and the dashboard are checked against, is complete:
/// every instrument of the product's meter was measured and came out of the Prometheus exporter as a family.
/// </summary>
public sealed class ExportedMetricNamesTests
{
    [Fact]
    public async Task Every_instrument_of_the_meter_is_measured_and_exported_as_a_Prometheus_family()
    {
        var exported = await ExportedMetrics.GetAsync();

        Assert.Contains("toxic.loads", exported.Instruments);
        Assert.True(
            exported.Unmeasured.Count == 0,
            $"ExportedMetrics records nothing on {string.Join(", ", exported.Unmeasured)}: add a call of ToxicMetrics that measures it to RecordOnEveryInstrument");
        var missing = exported.FamilyOf.Where(p => p.Value is null).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"no Prometheus family for {string.Join(", ", missing)} in the scrape: {string.Join(", ", exported.Families)}");

        // Each family is one instrument's: nothing else is on the meter's exporter.
        Assert.Equal(exported.Families.Order(StringComparer.Ordinal), exported.FamilyOf.Values.OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        Assert.Contains("toxic_loads_total", exported.Families);
        Assert.Contains("toxic_scoring_request_duration_seconds_bucket", exported.Series);
    }

    [Theory]
    [InlineData("sum(rate(toxic_rows_rejected_total[5m])) / sum(rate(toxic_rows_ingested_total[5m]))", "toxic_rows_rejected_total,toxic_rows_ingested_total")]
    [InlineData("histogram_quantile(0.99, sum by (le) (rate(toxic_scoring_request_duration_seconds_bucket{outcome=\"scored\"}[5m])))", "toxic_scoring_request_duration_seconds_bucket")]
    [InlineData("up{job=\"toxic\"} == 0", "")]
    public void The_app_metric_names_of_an_expression_are_found(string expression, string names) =>
        Assert.Equal(names.Split(',', StringSplitOptions.RemoveEmptyEntries), ExportedMetrics.MetricNamesIn(expression));
}
