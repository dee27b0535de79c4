namespace ToxicFunctions.Training;

/// <summary>
/// Limited-memory BFGS with a backtracking (Armijo) line search: a deterministic minimizer of a smooth function.
/// </summary>
internal static class Lbfgs
{
    /// <summary>Computes f(x) and writes its gradient into the second argument.</summary>
    public delegate double Objective(double[] x, double[] gradient);

    /// <summary>Minimizes from <paramref name="x"/> (updated in place); returns the iterations taken.</summary>
    public static int Minimize(Objective objective, double[] x, int maxIterations, double gradientTolerance, int memory = 8)
    {
        var result = x;
        var n = x.Length;
        var s = new double[memory][];
        var y = new double[memory][];
        var rho = new double[memory];
        var alpha = new double[memory];
        var stored = 0;
        var newest = -1;

        var gradient = new double[n];
        var nextGradient = new double[n];
        var direction = new double[n];
        var candidate = new double[n];
        var f = objective(x, gradient);

        var iteration = 0;
        for (; iteration < maxIterations; iteration++)
        {
            if (MaxAbs(gradient) <= gradientTolerance)
            {
                break;
            }

            // Two-loop recursion: direction = -H g.
            for (var i = 0; i < n; i++)
            {
                direction[i] = -gradient[i];
            }

            for (var k = 0; k < stored; k++)
            {
                var m = (newest - k + memory) % memory;
                alpha[m] = rho[m] * Dot(s[m], direction);
                Axpy(-alpha[m], y[m], direction);
            }

            var scale = stored > 0 ? Dot(s[newest], y[newest]) / Dot(y[newest], y[newest]) : 1.0 / Math.Max(1.0, Norm(gradient));
            Scale(direction, scale);
            for (var k = stored - 1; k >= 0; k--)
            {
                var m = (newest - k + memory) % memory;
                var beta = rho[m] * Dot(y[m], direction);
                Axpy(alpha[m] - beta, s[m], direction);
            }

            var slope = Dot(gradient, direction);
            if (slope >= 0)
            {
                // Not a descent direction: restart from steepest descent.
                stored = 0;
                var norm = Math.Max(1.0, Norm(gradient));
                for (var i = 0; i < n; i++)
                {
                    direction[i] = -gradient[i] / norm;
                }

                slope = Dot(gradient, direction);
            }

            var step = 1.0;
            double nextF;
            var accepted = false;
            var stalled = false;
            for (var trial = 0; trial < 40; trial++)
            {
                for (var i = 0; i < n; i++)
                {
                    candidate[i] = x[i] + step * direction[i];
                }

                nextF = objective(candidate, nextGradient);
                if (nextF <= f + 1e-4 * step * slope)
                {
                    accepted = true;
                    var slot = (newest + 1) % memory;
                    s[slot] ??= new double[n];
                    y[slot] ??= new double[n];
                    for (var i = 0; i < n; i++)
                    {
                        s[slot][i] = candidate[i] - x[i];
                        y[slot][i] = nextGradient[i] - gradient[i];
                    }

                    var sy = Dot(s[slot], y[slot]);
                    if (sy > 1e-12)
                    {
                        rho[slot] = 1.0 / sy;
                        newest = slot;
                        stored = Math.Min(stored + 1, memory);
                    }
                    else
                    {
                        stored = Math.Min(stored, memory - 1); // the slot just overwritten held the oldest pair
                    }

                    var improvement = f - nextF;
                    (x, candidate) = (candidate, x);
                    (gradient, nextGradient) = (nextGradient, gradient);
                    f = nextF;
                    stalled = improvement <= 1e-12 * Math.Max(1.0, Math.Abs(f));

                    break;
                }

                step *= 0.5;
            }

            if (!accepted || stalled)
            {
                iteration += accepted ? 1 : 0;
                break;
            }
        }

        if (!ReferenceEquals(x, result))
        {
            Array.Copy(x, result, n);
        }

        return iteration;
    }

    private static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static void Axpy(double a, double[] x, double[] y)
    {
        for (var i = 0; i < x.Length; i++)
        {
            y[i] += a * x[i];
        }
    }

    private static void Scale(double[] x, double a)
    {
        for (var i = 0; i < x.Length; i++)
        {
            x[i] *= a;
        }
    }

    private static double Norm(double[] x) => Math.Sqrt(Dot(x, x));

    private static double MaxAbs(double[] x)
    {
        var max = 0.0;
        foreach (var v in x)
        {
            max = Math.Max(max, Math.Abs(v));
        }

        return max;
    }
}
