namespace ToxicFunctions.Quality.Expectations;

/// <summary>The judgement of one check: pass or fail, the observed value, failing rows when rows fail, and a sentence.</summary>
internal sealed record CheckOutcome(bool Passed, double? Observed, long? FailingCount, string Detail);
