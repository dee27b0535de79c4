using System.Text;
using ToxicFunctions.Quality;
using ToxicFunctions.Quality.Expectations;

namespace ToxicFunctions.Tests.Quality;

/// <summary>Suite files: the embedded ones, and the mistakes that must fail before anything runs.</summary>
public sealed class SuiteLoaderTests
{
    private static LoadedSuite Parse(string json) => SuiteLoader.Parse(Encoding.UTF8.GetBytes(json), "test");

    private static string Suite(string expectations) =>
        $$"""{ "name": "t", "table": "staging.all_comments", "key": "record_key", "expectations": [ {{expectations}} ] }""";

    [Fact]
    public void The_staging_suite_declares_every_required_kind_on_staging()
    {
        var suite = SuiteLoader.LoadEmbedded("staging").Suite;

        Assert.Equal("staging.all_comments", suite.Table);
        Assert.Equal(
            ["accepted_values", "freshness", "not_null", "regex", "row_count", "token_array", "unique", "value_ratio"],
            suite.Expectations.Select(e => e.Type).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(
            ["comment_text", "id", "ingested_at", "input_ids", "labels"],
            suite.Expectations.OfType<NotNullExpectation>().Select(e => e.Column!).Order(StringComparer.Ordinal));
        Assert.Contains(suite.Expectations, e => e.Severity == Severity.Warn);
        var tokens = Assert.Single(suite.Expectations.OfType<TokenArrayExpectation>());
        Assert.Equal((101, 102, 2, 512), (tokens.First, tokens.Last, tokens.MinLength, tokens.MaxLength));
    }

    [Fact]
    public void The_embedded_suites_are_staging_and_production()
    {
        Assert.Equal(["production", "staging"], SuiteLoader.EmbeddedNames);
        Assert.Equal("production.comments", SuiteLoader.LoadEmbedded("production").Suite.Table);
        Assert.Throws<SuiteDefinitionException>(() => SuiteLoader.LoadEmbedded("nope"));
    }

    [Fact]
    public void Type_may_follow_other_properties_and_severity_defaults_to_error()
    {
        var suite = Parse(Suite("""{ "id": "a", "column": "labels", "type": "not_null" }""")).Suite;

        var expectation = Assert.IsType<NotNullExpectation>(Assert.Single(suite.Expectations));
        Assert.Equal(Severity.Error, expectation.Severity);
    }

    [Theory]
    [InlineData("""{ "id": "a", "type": "no_such_kind", "column": "labels" }""", "no_such_kind")]
    [InlineData("""{ "id": "a", "type": "not_null", "column": "labels", "colour": "red" }""", "colour")]
    [InlineData("""{ "id": "a", "type": "not_null" }""", "needs a column")]
    [InlineData("""{ "id": "a", "type": "not_null", "column": "x" }, { "id": "a", "type": "not_null", "column": "y" }""", "more than once")]
    [InlineData("""{ "id": "a", "type": "freshness", "column": "ingested_at", "max_age": "a week" }""", "ISO 8601")]
    [InlineData("""{ "id": "a", "type": "row_count" }""", "min, max or both")]
    [InlineData("""{ "id": "a", "type": "value_ratio", "column": "labels", "value": 1, "min": 0.6, "max": 0.5 }""", "min <= max")]
    [InlineData("""{ "id": "a", "type": "accepted_values", "column": "labels", "values": [] }""", "at least one value")]
    [InlineData("""{ "id": "a", "type": "not_null", "column": "labels", "severity": "fatal" }""", "severity")]
    public void A_broken_suite_is_rejected_with_the_reason(string expectations, string reason)
    {
        var error = Assert.Throws<SuiteDefinitionException>(() => Parse(Suite(expectations)));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
