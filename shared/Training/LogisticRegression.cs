namespace ToxicFunctions.Training;

/// <summary>
/// L2-regularized logistic regression fitted with <see cref="Lbfgs"/>: minimizes
/// <c>C * sum_i s_i log(1 + exp(-y_i (x_i w + b))) + |w|^2 / 2</c> (scikit-learn's objective; the bias is not
/// penalized), with per-row weights <c>s_i</c>. Starts from zero, so a fit is a function of its inputs.
/// </summary>
internal static class LogisticRegression
{
    /// <summary>A fitted model: one weight per column and a bias.</summary>
    public sealed record Fit(double[] Weights, double Bias, int Iterations);

    /// <summary>
    /// Row weights that give each class half of the total weight (scikit-learn's <c>class_weight="balanced"</c>),
    /// or all ones.
    /// </summary>
    public static double[] RowWeights(IReadOnlyList<byte> labels, bool classBalanced)
    {
        var positives = labels.Count(l => l == 1);
        var negatives = labels.Count - positives;
        var weights = new double[labels.Count];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = !classBalanced || positives == 0 || negatives == 0
                ? 1.0
                : labels.Count / (2.0 * (labels[i] == 1 ? positives : negatives));
        }

        return weights;
    }

    public static Fit Train(IDesignMatrix x, IReadOnlyList<byte> labels, double[] rowWeights, double c, int maxIterations, double tolerance)
    {
        var columns = x.Columns;
        var rows = x.Rows;
        var total = rowWeights.Sum();
        var margins = new double[rows];
        var residuals = new double[rows];
        var weights = new double[columns];

        // Scaled by 1 / (C * total weight): the same minimizer, gradients of order one.
        double Objective(double[] theta, double[] gradient)
        {
            Array.Copy(theta, weights, columns);
            x.Multiply(weights, margins);
            var bias = theta[columns];
            var loss = 0.0;
            var biasGradient = 0.0;
            for (var i = 0; i < rows; i++)
            {
                var z = margins[i] + bias;
                var y = labels[i] == 1 ? 1.0 : 0.0;
                // log(1 + exp(z)) - y z, computed without overflow.
                var softplus = z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));
                loss += rowWeights[i] * (softplus - y * z);
                var residual = rowWeights[i] * (Sigmoid(z) - y) / total;
                residuals[i] = residual;
                biasGradient += residual;
            }

            x.MultiplyTransposed(residuals, gradient);
            var penalty = 0.0;
            var shrink = 1.0 / (c * total);
            for (var j = 0; j < columns; j++)
            {
                penalty += theta[j] * theta[j];
                gradient[j] += shrink * theta[j];
            }

            gradient[columns] = biasGradient;
            return loss / total + 0.5 * shrink * penalty;
        }

        var parameters = new double[columns + 1];
        var iterations = Lbfgs.Minimize(Objective, parameters, maxIterations, tolerance);
        return new Fit(parameters[..columns], parameters[columns], iterations);
    }

    public static double Sigmoid(double z) => z >= 0 ? 1.0 / (1.0 + Math.Exp(-z)) : Math.Exp(z) / (1.0 + Math.Exp(z));
}
