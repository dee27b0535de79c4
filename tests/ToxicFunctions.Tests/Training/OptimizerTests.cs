using ToxicFunctions.Training;

namespace ToxicFunctions.Tests.Training;

public sealed class OptimizerTests
{
    [Fact]
    public void Lbfgs_finds_the_minimum_of_the_Rosenbrock_function()
    {
        static double Rosenbrock(double[] x, double[] g)
        {
            g[0] = (-2 * (1 - x[0])) - (400 * x[0] * (x[1] - (x[0] * x[0])));
            g[1] = 200 * (x[1] - (x[0] * x[0]));
            return Math.Pow(1 - x[0], 2) + (100 * Math.Pow(x[1] - (x[0] * x[0]), 2));
        }

        double[] x = [-1.2, 1.0];
        Lbfgs.Minimize(Rosenbrock, x, maxIterations: 500, gradientTolerance: 1e-10);

        Assert.Equal(1.0, x[0], 5);
        Assert.Equal(1.0, x[1], 5);
    }

    [Fact]
    public void Logistic_regression_without_features_fits_the_log_odds_and_balancing_centres_it()
    {
        // One all-zero column: only the bias can move; its optimum is logit(weighted positive share).
        byte[] labels = [1, 0, 0, 0];
        var x = new DenseMatrix(new float[4], 4, 1);

        var plain = LogisticRegression.Train(x, labels, LogisticRegression.RowWeights(labels, classBalanced: false), 1.0, 200, 1e-10);
        var balanced = LogisticRegression.Train(x, labels, LogisticRegression.RowWeights(labels, classBalanced: true), 1.0, 200, 1e-10);

        Assert.Equal(Math.Log(1.0 / 3), plain.Bias, 5);
        Assert.Equal(0.0, balanced.Bias, 5);
        Assert.Equal([2.0, 2.0 / 3, 2.0 / 3, 2.0 / 3], LogisticRegression.RowWeights(labels, classBalanced: true));
    }

    [Fact]
    public void Logistic_regression_gradient_vanishes_at_its_fit_on_sparse_data()
    {
        // Rows: [1 0], [0 1], [1 1], [0 0] with labels 1 0 1 0 and C = 2: at the optimum,
        // C * X'(p - y) + w = 0 and sum(p - y) = 0.
        var x = new SparseMatrix([0, 1, 2, 4, 4], [0, 1, 0, 1], [1, 1, 1, 1], 2);
        byte[] labels = [1, 0, 1, 0];
        var fit = LogisticRegression.Train(x, labels, [1, 1, 1, 1], 2.0, 500, 1e-12);

        double[][] rows = [[1, 0], [0, 1], [1, 1], [0, 0]];
        var residuals = rows.Select((r, i) => LogisticRegression.Sigmoid((r[0] * fit.Weights[0]) + (r[1] * fit.Weights[1]) + fit.Bias) - labels[i]).ToArray();
        for (var j = 0; j < 2; j++)
        {
            Assert.Equal(0, (2.0 * rows.Select((r, i) => r[j] * residuals[i]).Sum()) + fit.Weights[j], 5);
        }

        Assert.Equal(0, residuals.Sum(), 5);
        Assert.True(fit.Weights[0] > 1, $"weight of the predictive column: {fit.Weights[0]}");
    }
}
