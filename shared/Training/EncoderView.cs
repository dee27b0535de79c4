namespace ToxicFunctions.Training;

/// <summary>
/// The linear model over a comment's pooled encoder states (<see cref="EncoderGraph"/>), standardized with training
/// means and deviations that are folded into <see cref="Weights"/> and the model's bias.
/// </summary>
/// <param name="Weights">One weight per pooled feature, standardization folded in.</param>
public sealed record EncoderView(float[] Weights)
{
    /// <summary>This view's contribution to the logit (without bias).</summary>
    public double Score(ReadOnlySpan<float> encoding)
    {
        if (encoding.Length != Weights.Length)
        {
            throw new ArgumentException($"Expected {Weights.Length} encoder features, got {encoding.Length}.", nameof(encoding));
        }

        double sum = 0;
        for (var j = 0; j < encoding.Length; j++)
        {
            sum += (double)encoding[j] * Weights[j];
        }

        return sum;
    }
}
