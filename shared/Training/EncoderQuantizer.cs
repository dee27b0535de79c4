using System.Runtime.InteropServices;
using Google.Protobuf;
using ToxicFunctions.Training.Onnx.Proto;

namespace ToxicFunctions.Training;

/// <summary>
/// The cheaper encoder pass of a cascade: every MatMul of a graph by a constant 2-D weight (the encoder layers'
/// projections and feed-forward blocks) becomes ONNX Runtime's <c>com.microsoft.DynamicQuantizeMatMul</c> with the
/// weight in int8 (symmetric, one scale per output column) and the activations quantized per run. The same function
/// to about 1e-2 in probability; ONNX Runtime's int8 kernels (VNNI where the CPU has it) run it faster.
/// </summary>
public static class EncoderQuantizer
{
    private const string MicrosoftDomain = "com.microsoft";

    /// <summary>The serialized model with its constant-weight MatMuls quantized (a model without any is returned as it was).</summary>
    public static byte[] Quantize(byte[] model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var proto = ModelProto.Parser.ParseFrom(model);
        var graph = proto.Graph;
        var initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var replaced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            if (node.OpType != "MatMul" || node.Domain.Length > 0 || node.Input.Count != 2
                || !initializers.TryGetValue(node.Input[1], out var weight)
                || weight.DataType != (int)TensorProto.Types.DataType.Float || weight.Dims.Count != 2)
            {
                continue;
            }

            if (replaced.Add(weight.Name))
            {
                var (quantized, scales) = QuantizeColumns(Floats(weight), (int)weight.Dims[0], (int)weight.Dims[1]);
                var q = new TensorProto { Name = weight.Name + "_int8", DataType = (int)TensorProto.Types.DataType.Int8, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(quantized.AsSpan())) };
                q.Dims.Add(weight.Dims);
                graph.Initializer.Add(q);
                graph.Initializer.Add(OnnxNodes.Floats(weight.Name + "_scale", scales, scales.Length));
            }

            var input = node.Input[0];
            var name = weight.Name;
            node.OpType = "DynamicQuantizeMatMul";
            node.Domain = MicrosoftDomain;
            node.Input.Clear();
            node.Input.Add([input, name + "_int8", name + "_scale"]);
        }

        if (replaced.Count == 0)
        {
            return model;
        }

        // Float weights no node reads any more are dropped.
        var read = graph.Node.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        foreach (var name in replaced.Where(n => !read.Contains(n)))
        {
            graph.Initializer.Remove(initializers[name]);
        }

        if (!proto.OpsetImport.Any(o => o.Domain == MicrosoftDomain))
        {
            proto.OpsetImport.Add(new OperatorSetIdProto { Domain = MicrosoftDomain, Version = 1 });
        }

        return proto.ToByteArray();
    }

    private static float[] Floats(TensorProto tensor) =>
        tensor.RawData.Length > 0 ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray() : [.. tensor.FloatData];

    private static (sbyte[] Quantized, float[] Scales) QuantizeColumns(float[] values, int rows, int columns)
    {
        var scales = new float[columns];
        for (var c = 0; c < columns; c++)
        {
            var max = 0f;
            for (var r = 0; r < rows; r++)
            {
                max = Math.Max(max, Math.Abs(values[(r * columns) + c]));
            }

            scales[c] = max > 0 ? max / 127f : 1f;
        }

        var quantized = new sbyte[values.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                quantized[(r * columns) + c] = (sbyte)Math.Clamp(MathF.Round(values[(r * columns) + c] / scales[c]), -127, 127);
            }
        }

        return (quantized, scales);
    }
}
