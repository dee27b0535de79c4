namespace ToxicFunctions.Training;

/// <summary>Hyper-parameters of <see cref="ToxicTrainer"/> (chosen by cross-validation on the sample data; see README).</summary>
public sealed record TrainerOptions
{
    /// <summary>Inverse L2 strength of the hashed n-gram view (scikit-learn's C).</summary>
    public double LexicalC { get; init; } = 64;

    /// <summary>Inverse L2 strength of the embedding view.</summary>
    public double EmbeddingC { get; init; } = 0.001;

    /// <summary>Inverse L2 strength of the encoder view.</summary>
    public double EncoderC { get; init; } = 0.001;

    /// <summary>Weight each class to half of the total (lifts recall, hence F1 at the 0.45 threshold).</summary>
    public bool ClassBalanced { get; init; } = true;

    /// <summary>L-BFGS iterations at most, per view.</summary>
    public int MaxIterations { get; init; } = 300;

    /// <summary>L-BFGS stops once every gradient component is below this.</summary>
    public double GradientTolerance { get; init; } = 1e-5;
}
