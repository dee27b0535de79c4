using System.Numerics;

namespace ToxicFunctions.Training;

/// <summary>A row-major dense matrix of floats; products are SIMD-vectorized and accumulate in double.</summary>
internal sealed class DenseMatrix(float[] values, int rows, int columns) : IDesignMatrix
{
    private const int ColumnBlock = 64;

    public int Rows { get; } = rows;

    public int Columns { get; } = columns;

    public float[] Values { get; } = values;

    public void Multiply(double[] weights, double[] result) =>
        Parallel.For(0, Rows, BoundedParallelism.Options, i =>
        {
            var row = Values.AsSpan(i * Columns, Columns);
            var w = weights.AsSpan(0, Columns);
            var sums = Vector<double>.Zero;
            var j = 0;
            for (; j <= row.Length - Vector<float>.Count; j += Vector<float>.Count)
            {
                Vector.Widen(new Vector<float>(row[j..]), out var low, out var high);
                sums += (low * new Vector<double>(w[j..])) + (high * new Vector<double>(w[(j + Vector<double>.Count)..]));
            }

            var sum = Vector.Sum(sums);
            for (; j < row.Length; j++)
            {
                sum += row[j] * w[j];
            }

            result[i] = sum;
        });

    public void MultiplyTransposed(double[] rowValues, double[] result) =>
        Parallel.For(0, (Columns + ColumnBlock - 1) / ColumnBlock, BoundedParallelism.Options, block =>
        {
            var start = block * ColumnBlock;
            var width = Math.Min(Columns, start + ColumnBlock) - start;
            Span<double> sums = stackalloc double[ColumnBlock];
            sums.Clear();
            for (var i = 0; i < Rows; i++)
            {
                var g = new Vector<double>(rowValues[i]);
                var row = Values.AsSpan((i * Columns) + start, width);
                var j = 0;
                for (; j <= width - Vector<float>.Count; j += Vector<float>.Count)
                {
                    Vector.Widen(new Vector<float>(row[j..]), out var low, out var high);
                    var lowSums = sums[j..];
                    var highSums = sums[(j + Vector<double>.Count)..];
                    (new Vector<double>(lowSums) + (low * g)).CopyTo(lowSums);
                    (new Vector<double>(highSums) + (high * g)).CopyTo(highSums);
                }

                for (; j < width; j++)
                {
                    sums[j] += row[j] * rowValues[i];
                }
            }

            sums[..width].CopyTo(result.AsSpan(start));
        });
}
