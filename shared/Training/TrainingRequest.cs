namespace ToxicFunctions.Training;

/// <summary>What <see cref="ModelTrainingService"/> should train.</summary>
public sealed record TrainingRequest
{
    /// <summary>Seed of the stratified hold-out split.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Share of each class held out for validation metrics (0: fit on everything).</summary>
    public double HoldoutFraction { get; init; }

    /// <summary>Featurizer settings.</summary>
    public FeatureSettings Features { get; init; } = new();

    /// <summary>Trainer hyper-parameters.</summary>
    public TrainerOptions Trainer { get; init; } = new();

    /// <summary>When set and the model has an encoder view, the directory is a cascade of the fast and the encoder model.</summary>
    public CascadeOptions? Cascade { get; init; }
}
