namespace ToxicFunctions.Training;

/// <summary>A row-major dense matrix of floats.</summary>
internal sealed class DenseMatrix(float[] values, int rows, int columns) : IDesignMatrix
{
    private const int ColumnBlock = 64;

    public int Rows { get; } = rows;

    public int Columns { get; } = columns;

    public float[] Values { get; } = values;

    public void Multiply(double[] weights, double[] result) =>
        Parallel.For(0, Rows, i =>
        {
            var row = Values.AsSpan(i * Columns, Columns);
            var sum = 0.0;
            for (var j = 0; j < row.Length; j++)
            {
                sum += row[j] * weights[j];
            }

            result[i] = sum;
        });

    public void MultiplyTransposed(double[] rowValues, double[] result) =>
        Parallel.For(0, (Columns + ColumnBlock - 1) / ColumnBlock, block =>
        {
            var start = block * ColumnBlock;
            var end = Math.Min(Columns, start + ColumnBlock);
            Span<double> sums = stackalloc double[ColumnBlock];
            sums.Clear();
            for (var i = 0; i < Rows; i++)
            {
                var g = rowValues[i];
                var row = Values.AsSpan(i * Columns + start, end - start);
                for (var j = 0; j < row.Length; j++)
                {
                    sums[j] += row[j] * g;
                }
            }

            sums[..(end - start)].CopyTo(result.AsSpan(start));
        });
}
