using System.Runtime.InteropServices;
using Google.Protobuf;
using ToxicFunctions.Training.Onnx.Proto;

namespace ToxicFunctions.Training;

/// <summary>Small constructors of ONNX protobuf messages shared by the graph builders.</summary>
internal static class OnnxNodes
{
    /// <summary>The opset of the default domain our graphs use (MiniLM's opset-13 nodes mean the same there).</summary>
    public const int Opset = 17;

    private const long IrVersion = 8;

    public static ModelProto Model(GraphProto graph, string producerVersion)
    {
        var model = new ModelProto { IrVersion = IrVersion, ProducerName = "ToxicFunctions", ProducerVersion = producerVersion, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model;
    }

    public static ValueInfoProto Input(string name, TensorProto.Types.DataType type, params string[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = dim });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    public static TensorProto Floats(string name, float[] values, params long[] dims) =>
        Raw(name, TensorProto.Types.DataType.Float, values, dims);

    public static TensorProto Int64s(string name, long[] values, params long[] dims) =>
        Raw(name, TensorProto.Types.DataType.Int64, values, dims);

    private static TensorProto Raw<T>(string name, TensorProto.Types.DataType type, T[] values, long[] dims)
        where T : unmanaged
    {
        var tensor = new TensorProto
        {
            Name = name,
            DataType = (int)type,
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())),
        };
        tensor.Dims.Add(dims);
        return tensor;
    }

    public static NodeProto Node(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = $"{op}_{outputs[0]}" };
        node.Input.Add(inputs);
        node.Output.Add(outputs);
        node.Attribute.Add(attributes);
        return node;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }
}
