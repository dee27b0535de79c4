namespace ToxicFunctions.Training;

/// <summary>
/// ROC and precision-recall curves as small PNG line plots: unit square with a 0.1 grid, the curve in blue (the ROC
/// chance diagonal in grey). Axis values are those of the curve; titles and figures live in the metadata.
/// </summary>
public static class CurvePlot
{
    private const int Size = 400;
    private const int Margin = 20;

    /// <summary>The ROC curve (false positive rate, true positive rate) of <paramref name="probabilities"/>.</summary>
    public static byte[] Roc(IReadOnlyList<double> probabilities, IReadOnlyList<byte> labels)
    {
        var points = Sweep(probabilities, labels).Select(p => (X: p.Fp / (double)Math.Max(1, p.Negatives), Y: p.Tp / (double)Math.Max(1, p.Positives)));
        var canvas = new Canvas();
        canvas.Line(0, 0, 1, 1, Colors.Chance);
        canvas.Polyline([(0, 0), .. points], Colors.Curve);
        return canvas.ToPng();
    }

    /// <summary>The precision-recall curve (recall, precision) of <paramref name="probabilities"/>.</summary>
    public static byte[] PrecisionRecall(IReadOnlyList<double> probabilities, IReadOnlyList<byte> labels)
    {
        var points = Sweep(probabilities, labels)
            .Where(p => p.Tp + p.Fp > 0)
            .Select(p => (X: p.Tp / (double)Math.Max(1, p.Positives), Y: p.Tp / (double)(p.Tp + p.Fp)))
            .ToList();
        var canvas = new Canvas();
        canvas.Polyline(points.Count > 0 ? [(0, points[0].Y), .. points] : [], Colors.Curve);
        return canvas.ToPng();
    }

    // Cumulative counts after each distinct score, highest first.
    private static IEnumerable<(int Tp, int Fp, int Positives, int Negatives)> Sweep(IReadOnlyList<double> probabilities, IReadOnlyList<byte> labels)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(labels);
        var order = Enumerable.Range(0, labels.Count).OrderByDescending(i => probabilities[i]).ToArray();
        var positives = labels.Count(l => l == 1);
        var negatives = labels.Count - positives;
        int tp = 0, fp = 0;
        for (var k = 0; k < order.Length; k++)
        {
            if (labels[order[k]] == 1)
            {
                tp++;
            }
            else
            {
                fp++;
            }

            if (k == order.Length - 1 || probabilities[order[k + 1]] != probabilities[order[k]])
            {
                yield return (tp, fp, positives, negatives);
            }
        }
    }

    private static class Colors
    {
        public static readonly (byte R, byte G, byte B) Curve = (31, 119, 180);
        public static readonly (byte R, byte G, byte B) Chance = (170, 170, 170);
        public static readonly (byte R, byte G, byte B) Grid = (225, 225, 225);
        public static readonly (byte R, byte G, byte B) Axis = (0, 0, 0);
    }

    private sealed class Canvas
    {
        private readonly byte[] _rgb = Enumerable.Repeat((byte)255, Size * Size * 3).ToArray();

        public Canvas()
        {
            for (var k = 0; k <= 10; k++)
            {
                var v = k / 10.0;
                var color = k is 0 or 10 ? Colors.Axis : Colors.Grid;
                Line(v, 0, v, 1, color);
                Line(0, v, 1, v, color);
            }
        }

        public void Polyline(IReadOnlyList<(double X, double Y)> points, (byte R, byte G, byte B) color)
        {
            for (var i = 1; i < points.Count; i++)
            {
                Line(points[i - 1].X, points[i - 1].Y, points[i].X, points[i].Y, color, thick: true);
            }
        }

        public void Line(double x0, double y0, double x1, double y1, (byte R, byte G, byte B) color, bool thick = false)
        {
            var (px0, py0) = ToPixel(x0, y0);
            var (px1, py1) = ToPixel(x1, y1);
            var steps = Math.Max(1, Math.Max(Math.Abs(px1 - px0), Math.Abs(py1 - py0)));
            for (var s = 0; s <= steps; s++)
            {
                var x = px0 + ((px1 - px0) * s / steps);
                var y = py0 + ((py1 - py0) * s / steps);
                Plot(x, y, color);
                if (thick)
                {
                    Plot(x + 1, y, color);
                    Plot(x, y + 1, color);
                }
            }
        }

        public byte[] ToPng() => PngWriter.Encode(_rgb, Size, Size);

        private static (int X, int Y) ToPixel(double x, double y) =>
            (Margin + (int)Math.Round(Math.Clamp(x, 0, 1) * (Size - 1 - (2 * Margin))),
             Size - 1 - Margin - (int)Math.Round(Math.Clamp(y, 0, 1) * (Size - 1 - (2 * Margin))));

        private void Plot(int x, int y, (byte R, byte G, byte B) color)
        {
            if (x < 0 || y < 0 || x >= Size || y >= Size)
            {
                return;
            }

            var offset = ((y * Size) + x) * 3;
            _rgb[offset] = color.R;
            _rgb[offset + 1] = color.G;
            _rgb[offset + 2] = color.B;
        }
    }
}
