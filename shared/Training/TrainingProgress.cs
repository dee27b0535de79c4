namespace ToxicFunctions.Training;

/// <summary>The stages of <see cref="ModelTrainingService"/>'s training that report progress.</summary>
public enum TrainingStage
{
    /// <summary>Hashing and tokenizing the comments; counted in comments.</summary>
    Featurize,

    /// <summary>Running the frozen encoder over comments without kept features; counted in comments.</summary>
    Encode,

    /// <summary>Fitting the views' logistic regressions (the model's, then each cascade fold's); counted in fits.</summary>
    Fit,
}

/// <summary>How far training is: <paramref name="Done"/> of <paramref name="Total"/> in <paramref name="Stage"/>.</summary>
/// <param name="Stage">The stage running.</param>
/// <param name="Done">Units of the stage done.</param>
/// <param name="Total">Units of the stage in all.</param>
public readonly record struct TrainingProgress(TrainingStage Stage, long Done, long Total);
