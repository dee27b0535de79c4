using ToxicFunctions.Training;

namespace ToxicFunctions.Orchestrations;

/// <summary>The input of <see cref="TrainingPipeline"/>; every part is optional.</summary>
/// <param name="RequestedBy">Who started it (http, timer, a test), for the logs and the run's tags.</param>
/// <param name="Suite">The embedded data-quality suite of the Validate stage.</param>
/// <param name="Trainer">Trainer hyper-parameters (default: the product's).</param>
/// <param name="SplitSeed">Seed of the snapshot's test split (default: setting Pipeline:SplitSeed).</param>
/// <param name="TestFraction">Share of each class in the test split (default: setting Pipeline:TestFraction).</param>
public sealed record PipelineRequest(
    string? RequestedBy = null, string Suite = "staging", TrainerOptions? Trainer = null, int? SplitSeed = null, double? TestFraction = null);
