namespace ToxicFunctions.Training;

/// <summary>A compressed sparse row matrix with its transpose (CSC), so that both products run row- or column-parallel.</summary>
internal sealed class SparseMatrix : IDesignMatrix
{
    private readonly int[] _rowStarts;
    private readonly int[] _columns;
    private readonly float[] _values;
    private readonly int[] _columnStarts;
    private readonly int[] _rowsByColumn;
    private readonly float[] _valuesByColumn;

    /// <summary>Wraps CSR arrays (column indices ascending within a row) and builds the transpose.</summary>
    public SparseMatrix(int[] rowStarts, int[] columns, float[] values, int columnCount)
    {
        _rowStarts = rowStarts;
        _columns = columns;
        _values = values;
        Columns = columnCount;
        _columnStarts = new int[columnCount + 1];
        foreach (var column in columns)
        {
            _columnStarts[column + 1]++;
        }

        for (var j = 0; j < columnCount; j++)
        {
            _columnStarts[j + 1] += _columnStarts[j];
        }

        var next = (int[])_columnStarts.Clone();
        _rowsByColumn = new int[columns.Length];
        _valuesByColumn = new float[columns.Length];
        for (var i = 0; i < Rows; i++)
        {
            for (var k = rowStarts[i]; k < rowStarts[i + 1]; k++)
            {
                var slot = next[columns[k]]++;
                _rowsByColumn[slot] = i;
                _valuesByColumn[slot] = values[k];
            }
        }
    }

    public int Rows => _rowStarts.Length - 1;

    public int Columns { get; }

    public void Multiply(double[] weights, double[] result) =>
        Parallel.For(0, Rows, BoundedParallelism.Options, i =>
        {
            var sum = 0.0;
            for (var k = _rowStarts[i]; k < _rowStarts[i + 1]; k++)
            {
                sum += _values[k] * weights[_columns[k]];
            }

            result[i] = sum;
        });

    public void MultiplyTransposed(double[] rowValues, double[] result) =>
        Parallel.For(0, (Columns + 4095) / 4096, BoundedParallelism.Options, block =>
        {
            var end = Math.Min(Columns, (block + 1) * 4096);
            for (var j = block * 4096; j < end; j++)
            {
                var sum = 0.0;
                for (var k = _columnStarts[j]; k < _columnStarts[j + 1]; k++)
                {
                    sum += _valuesByColumn[k] * rowValues[_rowsByColumn[k]];
                }

                result[j] = sum;
            }
        });
}
