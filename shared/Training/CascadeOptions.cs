namespace ToxicFunctions.Training;

/// <summary>How <see cref="ModelTrainingService"/> makes a cascade (see <see cref="CascadeBand"/>) of a model with an encoder view.</summary>
public sealed record CascadeOptions
{
    /// <summary>
    /// The out-of-fold AUC the cascade may lose against the encoder model alone on the training split; half the
    /// acceptance margin of 0.001, so that the test split's loss stays within it.
    /// </summary>
    public double AucBudget { get; init; } = 0.0005;

    /// <summary>Folds of the training split whose out-of-fold probabilities choose the band.</summary>
    public int Folds { get; init; } = 5;

    /// <summary>Whether routed comments run through the encoder with int8 weights (see <see cref="CascadeBand.QuantizedEncoder"/>).</summary>
    public bool QuantizedEncoder { get; init; } = true;

    /// <summary>Band edges are searched at multiples of 1/Steps of the training comments.</summary>
    public int Steps { get; init; } = 100;
}
