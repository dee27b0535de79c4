using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ToxicFunctions.Scoring;
using ToxicFunctions.Tests.Deploy;

namespace ToxicFunctions.Tests.Scoring;

/// <summary>The scoring settings as local.settings.sample.json documents them, and their validation at start.</summary>
public sealed class ScoringOptionsTests
{
    [Fact]
    public void The_sample_settings_bind_to_the_defaults_and_an_empty_threshold_means_the_models_own()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("local.settings.sample.json")));
        var values = sample.RootElement.GetProperty("Values").EnumerateObject()
            .Where(p => p.Name.StartsWith("Scoring__", StringComparison.Ordinal))
            .ToDictionary(p => p.Name.Replace("__", ":", StringComparison.Ordinal), p => (string?)p.Value.GetString());
        Assert.Equal(5, values.Count);

        var options = Bind(values);

        Assert.Null(options.Threshold);
        Assert.Equal(ScoringOptions.DefaultMaxBatchTexts, options.MaxBatchTexts);
        Assert.Equal(ScoringOptions.DefaultMaxBatchWait, options.MaxBatchWait);
        Assert.Equal(ScoringOptions.DefaultChampionRecheckInterval, options.ChampionRecheckInterval);
        Assert.Equal(0, options.MaxConcurrentBatches);
        Assert.Equal(0.3, Bind(new Dictionary<string, string?> { ["Scoring:Threshold"] = "0.3" }).Threshold);
    }

    [Theory]
    [InlineData("Scoring:Threshold", "1.5")]
    [InlineData("Scoring:MaxBatchTexts", "0")]
    [InlineData("Scoring:MaxBatchWait", "00:00:05")]
    [InlineData("Scoring:ChampionRecheckInterval", "00:00:00")]
    [InlineData("Scoring:MaxConcurrentBatches", "-1")]
    public void A_setting_out_of_range_stops_the_host_at_start(string key, string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    private static ScoringOptions Bind(IDictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        using var services = new ServiceCollection().AddToxicScoring(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<ScoringOptions>>().Value;
    }
}
