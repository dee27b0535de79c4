using System.Runtime.InteropServices;
using Google.Protobuf;
using ToxicFunctions.Training.Onnx.Proto;

namespace ToxicFunctions.Training;

/// <summary>
/// Writes <see cref="ToxicModel"/> as an ONNX graph (opset 17) that ONNX Runtime executes at scoring time. Inputs, with
/// N comments padded to the longest in the batch (index 0 / value 0 / mask 0 pad):
/// <c>word_indices</c>, <c>char_indices</c> (int64 [N, K]) with <c>word_values</c>, <c>char_values</c> (float [N, K],
/// 1 + ln tf), <c>token_ids</c> (int64 [N, T]) with <c>token_mask</c> (float [N, T]). Output <c>probability</c>
/// (float [N]). The idf tables, weights and the frozen embedding table are initializers.
/// </summary>
public static class OnnxGraphBuilder
{
    /// <summary>The opset of the default domain the graph uses.</summary>
    public const int Opset = 17;

    private const long IrVersion = 8;

    /// <summary>The serialized model.</summary>
    public static byte[] Build(ToxicModel model, StaticEmbeddingTable table)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(table);
        var graph = new GraphProto { Name = "toxic_comment_model" };
        graph.Input.Add(Input("word_indices", TensorProto.Types.DataType.Int64, "N", "Kw"));
        graph.Input.Add(Input("word_values", TensorProto.Types.DataType.Float, "N", "Kw"));
        graph.Input.Add(Input("char_indices", TensorProto.Types.DataType.Int64, "N", "Kc"));
        graph.Input.Add(Input("char_values", TensorProto.Types.DataType.Float, "N", "Kc"));
        graph.Input.Add(Input("token_ids", TensorProto.Types.DataType.Int64, "N", "T"));
        graph.Input.Add(Input("token_mask", TensorProto.Types.DataType.Float, "N", "T"));
        graph.Output.Add(Input("probability", TensorProto.Types.DataType.Float, "N"));

        graph.Initializer.Add(Floats("word_idf", model.Lexical.WordIdf, model.Lexical.WordIdf.Length));
        graph.Initializer.Add(Floats("word_weights", model.Lexical.WordWeights, model.Lexical.WordWeights.Length));
        graph.Initializer.Add(Floats("char_idf", model.Lexical.CharIdf, model.Lexical.CharIdf.Length));
        graph.Initializer.Add(Floats("char_weights", model.Lexical.CharWeights, model.Lexical.CharWeights.Length));
        graph.Initializer.Add(Floats("token_idf", model.Embedding.TokenIdf, model.Embedding.TokenIdf.Length));
        graph.Initializer.Add(Floats("embedding_table", table.Values, table.Rows, StaticEmbeddingTable.Dimension));
        graph.Initializer.Add(Floats("embedding_weights", model.Embedding.Weights, model.Embedding.Weights.Length));
        graph.Initializer.Add(Floats("bias", [model.Bias]));
        graph.Initializer.Add(Floats("epsilon", [1e-12f]));
        graph.Initializer.Add(Floats("one", [1f]));
        graph.Initializer.Add(Floats("padding_penalty", [1e4f]));
        graph.Initializer.Add(Int64s("axis_1", [1], 1));
        graph.Initializer.Add(Int64s("axis_2", [2], 1));

        var nodes = graph.Node;
        foreach (var block in new[] { "word", "char" })
        {
            // v = (1 + ln tf) * idf; score = (w . v) / max(|v|, eps)
            nodes.Add(Node("Gather", [$"{block}_idf", $"{block}_indices"], [$"{block}_idf_g"]));
            nodes.Add(Node("Mul", [$"{block}_idf_g", $"{block}_values"], [$"{block}_v"]));
            nodes.Add(Node("ReduceSumSquare", [$"{block}_v"], [$"{block}_ss"], Ints("axes", 1), Int("keepdims", 0)));
            nodes.Add(Node("Sqrt", [$"{block}_ss"], [$"{block}_norm"]));
            nodes.Add(Node("Max", [$"{block}_norm", "epsilon"], [$"{block}_norm_c"]));
            nodes.Add(Node("Gather", [$"{block}_weights", $"{block}_indices"], [$"{block}_w_g"]));
            nodes.Add(Node("Mul", [$"{block}_w_g", $"{block}_v"], [$"{block}_wv"]));
            nodes.Add(Node("ReduceSum", [$"{block}_wv", "axis_1"], [$"{block}_dot"], Int("keepdims", 0)));
            nodes.Add(Node("Div", [$"{block}_dot", $"{block}_norm_c"], [$"{block}_score"]));
        }

        // Pooled frozen token embeddings: idf-weighted mean, mean, max, min over the unmasked tokens.
        nodes.Add(Node("Gather", ["embedding_table", "token_ids"], ["emb"]));
        nodes.Add(Node("Unsqueeze", ["token_mask", "axis_2"], ["mask_3"]));
        nodes.Add(Node("Gather", ["token_idf", "token_ids"], ["tok_idf_g"]));
        nodes.Add(Node("Mul", ["tok_idf_g", "token_mask"], ["tok_w"]));
        nodes.Add(Node("Unsqueeze", ["tok_w", "axis_2"], ["tok_w_3"]));
        nodes.Add(Node("Mul", ["emb", "tok_w_3"], ["emb_w"]));
        nodes.Add(Node("ReduceSum", ["emb_w", "axis_1"], ["wmean_num"], Int("keepdims", 0)));
        nodes.Add(Node("ReduceSum", ["tok_w", "axis_1"], ["wmean_den"], Int("keepdims", 1)));
        nodes.Add(Node("Max", ["wmean_den", "epsilon"], ["wmean_den_c"]));
        nodes.Add(Node("Div", ["wmean_num", "wmean_den_c"], ["pool_wmean"]));
        nodes.Add(Node("Mul", ["emb", "mask_3"], ["emb_m"]));
        nodes.Add(Node("ReduceSum", ["emb_m", "axis_1"], ["mean_num"], Int("keepdims", 0)));
        nodes.Add(Node("ReduceSum", ["token_mask", "axis_1"], ["mean_den"], Int("keepdims", 1)));
        nodes.Add(Node("Max", ["mean_den", "one"], ["mean_den_c"]));
        nodes.Add(Node("Div", ["mean_num", "mean_den_c"], ["pool_mean"]));
        nodes.Add(Node("Sub", ["mask_3", "one"], ["mask_off"]));
        nodes.Add(Node("Mul", ["mask_off", "padding_penalty"], ["penalty"]));
        nodes.Add(Node("Add", ["emb", "penalty"], ["emb_low"]));
        nodes.Add(Node("ReduceMax", ["emb_low"], ["pool_max"], Ints("axes", 1), Int("keepdims", 0)));
        nodes.Add(Node("Sub", ["emb", "penalty"], ["emb_high"]));
        nodes.Add(Node("ReduceMin", ["emb_high"], ["pool_min"], Ints("axes", 1), Int("keepdims", 0)));
        nodes.Add(Node("Concat", ["pool_wmean", "pool_mean", "pool_max", "pool_min"], ["pooled"], Int("axis", 1)));
        nodes.Add(Node("MatMul", ["pooled", "embedding_weights"], ["embedding_score"]));

        nodes.Add(Node("Add", ["word_score", "char_score"], ["lexical_score"]));
        nodes.Add(Node("Add", ["lexical_score", "embedding_score"], ["score"]));
        nodes.Add(Node("Add", ["score", "bias"], ["logit"]));
        nodes.Add(Node("Sigmoid", ["logit"], ["probability"]));

        var onnx = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "ToxicFunctions",
            ProducerVersion = $"features-v{model.Features.Version}",
            Graph = graph,
        };
        onnx.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return onnx.ToByteArray();
    }

    private static ValueInfoProto Input(string name, TensorProto.Types.DataType type, params string[] dims)
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

    private static TensorProto Floats(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto
        {
            Name = name,
            DataType = (int)TensorProto.Types.DataType.Float,
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())),
        };
        tensor.Dims.Add(dims);
        return tensor;
    }

    private static TensorProto Int64s(string name, long[] values, params long[] dims)
    {
        var tensor = new TensorProto
        {
            Name = name,
            DataType = (int)TensorProto.Types.DataType.Int64,
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())),
        };
        tensor.Dims.Add(dims);
        return tensor;
    }

    private static NodeProto Node(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = $"{op}_{outputs[0]}" };
        node.Input.Add(inputs);
        node.Output.Add(outputs);
        node.Attribute.Add(attributes);
        return node;
    }

    private static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }
}
