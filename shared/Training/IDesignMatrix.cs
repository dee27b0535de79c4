namespace ToxicFunctions.Training;

/// <summary>
/// A training matrix for <see cref="LogisticRegression"/>. Both products must be deterministic: every output element
/// computed by one thread in a fixed order, whatever the scheduling.
/// </summary>
internal interface IDesignMatrix
{
    int Rows { get; }

    int Columns { get; }

    /// <summary>z = X w.</summary>
    void Multiply(double[] weights, double[] result);

    /// <summary>result = X' g.</summary>
    void MultiplyTransposed(double[] rowValues, double[] result);
}
