using Google.Protobuf;
using ToxicFunctions.Training.Onnx.Proto;

namespace ToxicFunctions.Training;

/// <summary>
/// Writes <see cref="ToxicModel"/> as an ONNX graph (opset 17) that ONNX Runtime executes at scoring time. Inputs, with
/// N comments padded to the longest in the batch (index 0 / value 0 / mask 0 pad):
/// <c>word_indices</c>, <c>char_indices</c> (int64 [N, K]) with <c>word_values</c>, <c>char_values</c> (float [N, K],
/// 1 + ln tf), <c>token_ids</c> (int64 [N, T]) with <c>token_mask</c> (float [N, T]), and with an encoder view
/// <c>encoder_ids</c> with <c>encoder_mask</c> (int64 [N, S], see <see cref="CommentEncoder.Input"/>). Output
/// <c>probability</c> (float [N]). The idf tables, weights, the frozen embedding table and the encoder layers are
/// initializers.
/// </summary>
public static class OnnxGraphBuilder
{
    /// <summary>The opset of the default domain the graph uses.</summary>
    public const int Opset = OnnxNodes.Opset;

    /// <summary>The model metadata key holding the encoder's longest input (see <see cref="FeatureSettings.EncoderMaxTokens"/>).</summary>
    public const string EncoderMaxTokensKey = "encoder_max_tokens";

    /// <summary>The serialized model.</summary>
    public static byte[] Build(ToxicModel model, StaticEmbeddingTable table)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(table);
        var graph = new GraphProto { Name = "toxic_comment_model" };
        graph.Input.Add(OnnxNodes.Input("word_indices", TensorProto.Types.DataType.Int64, "N", "Kw"));
        graph.Input.Add(OnnxNodes.Input("word_values", TensorProto.Types.DataType.Float, "N", "Kw"));
        graph.Input.Add(OnnxNodes.Input("char_indices", TensorProto.Types.DataType.Int64, "N", "Kc"));
        graph.Input.Add(OnnxNodes.Input("char_values", TensorProto.Types.DataType.Float, "N", "Kc"));
        graph.Input.Add(OnnxNodes.Input("token_ids", TensorProto.Types.DataType.Int64, "N", "T"));
        graph.Input.Add(OnnxNodes.Input("token_mask", TensorProto.Types.DataType.Float, "N", "T"));
        graph.Output.Add(OnnxNodes.Input("probability", TensorProto.Types.DataType.Float, "N"));

        graph.Initializer.Add(OnnxNodes.Floats("word_idf", model.Lexical.WordIdf, model.Lexical.WordIdf.Length));
        graph.Initializer.Add(OnnxNodes.Floats("word_weights", model.Lexical.WordWeights, model.Lexical.WordWeights.Length));
        graph.Initializer.Add(OnnxNodes.Floats("char_idf", model.Lexical.CharIdf, model.Lexical.CharIdf.Length));
        graph.Initializer.Add(OnnxNodes.Floats("char_weights", model.Lexical.CharWeights, model.Lexical.CharWeights.Length));
        graph.Initializer.Add(OnnxNodes.Floats("token_idf", model.Embedding.TokenIdf, model.Embedding.TokenIdf.Length));
        graph.Initializer.Add(OnnxNodes.Floats("embedding_table", table.Values, table.Rows, StaticEmbeddingTable.Dimension));
        graph.Initializer.Add(OnnxNodes.Floats("embedding_weights", model.Embedding.Weights, model.Embedding.Weights.Length));
        graph.Initializer.Add(OnnxNodes.Floats("bias", [model.Bias]));
        graph.Initializer.Add(OnnxNodes.Floats("epsilon", [1e-12f]));
        graph.Initializer.Add(OnnxNodes.Floats("one", [1f]));
        graph.Initializer.Add(OnnxNodes.Floats("padding_penalty", [1e4f]));
        graph.Initializer.Add(OnnxNodes.Int64s("axis_1", [1], 1));
        graph.Initializer.Add(OnnxNodes.Int64s("axis_2", [2], 1));

        var nodes = graph.Node;
        foreach (var block in new[] { "word", "char" })
        {
            // v = (1 + ln tf) * idf; score = (w . v) / max(|v|, eps)
            nodes.Add(OnnxNodes.Node("Gather", [$"{block}_idf", $"{block}_indices"], [$"{block}_idf_g"]));
            nodes.Add(OnnxNodes.Node("Mul", [$"{block}_idf_g", $"{block}_values"], [$"{block}_v"]));
            nodes.Add(OnnxNodes.Node("ReduceSumSquare", [$"{block}_v"], [$"{block}_ss"], OnnxNodes.Ints("axes", 1), OnnxNodes.Int("keepdims", 0)));
            nodes.Add(OnnxNodes.Node("Sqrt", [$"{block}_ss"], [$"{block}_norm"]));
            nodes.Add(OnnxNodes.Node("Max", [$"{block}_norm", "epsilon"], [$"{block}_norm_c"]));
            nodes.Add(OnnxNodes.Node("Gather", [$"{block}_weights", $"{block}_indices"], [$"{block}_w_g"]));
            nodes.Add(OnnxNodes.Node("Mul", [$"{block}_w_g", $"{block}_v"], [$"{block}_wv"]));
            nodes.Add(OnnxNodes.Node("ReduceSum", [$"{block}_wv", "axis_1"], [$"{block}_dot"], OnnxNodes.Int("keepdims", 0)));
            nodes.Add(OnnxNodes.Node("Div", [$"{block}_dot", $"{block}_norm_c"], [$"{block}_score"]));
        }

        // Pooled frozen token embeddings: idf-weighted mean, mean, max, min over the unmasked tokens.
        nodes.Add(OnnxNodes.Node("Gather", ["embedding_table", "token_ids"], ["emb"]));
        nodes.Add(OnnxNodes.Node("Unsqueeze", ["token_mask", "axis_2"], ["mask_3"]));
        nodes.Add(OnnxNodes.Node("Gather", ["token_idf", "token_ids"], ["tok_idf_g"]));
        nodes.Add(OnnxNodes.Node("Mul", ["tok_idf_g", "token_mask"], ["tok_w"]));
        nodes.Add(OnnxNodes.Node("Unsqueeze", ["tok_w", "axis_2"], ["tok_w_3"]));
        nodes.Add(OnnxNodes.Node("Mul", ["emb", "tok_w_3"], ["emb_w"]));
        nodes.Add(OnnxNodes.Node("ReduceSum", ["emb_w", "axis_1"], ["wmean_num"], OnnxNodes.Int("keepdims", 0)));
        nodes.Add(OnnxNodes.Node("ReduceSum", ["tok_w", "axis_1"], ["wmean_den"], OnnxNodes.Int("keepdims", 1)));
        nodes.Add(OnnxNodes.Node("Max", ["wmean_den", "epsilon"], ["wmean_den_c"]));
        nodes.Add(OnnxNodes.Node("Div", ["wmean_num", "wmean_den_c"], ["pool_wmean"]));
        nodes.Add(OnnxNodes.Node("Mul", ["emb", "mask_3"], ["emb_m"]));
        nodes.Add(OnnxNodes.Node("ReduceSum", ["emb_m", "axis_1"], ["mean_num"], OnnxNodes.Int("keepdims", 0)));
        nodes.Add(OnnxNodes.Node("ReduceSum", ["token_mask", "axis_1"], ["mean_den"], OnnxNodes.Int("keepdims", 1)));
        nodes.Add(OnnxNodes.Node("Max", ["mean_den", "one"], ["mean_den_c"]));
        nodes.Add(OnnxNodes.Node("Div", ["mean_num", "mean_den_c"], ["pool_mean"]));
        nodes.Add(OnnxNodes.Node("Sub", ["mask_3", "one"], ["mask_off"]));
        nodes.Add(OnnxNodes.Node("Mul", ["mask_off", "padding_penalty"], ["penalty"]));
        nodes.Add(OnnxNodes.Node("Add", ["emb", "penalty"], ["emb_low"]));
        nodes.Add(OnnxNodes.Node("ReduceMax", ["emb_low"], ["pool_max"], OnnxNodes.Ints("axes", 1), OnnxNodes.Int("keepdims", 0)));
        nodes.Add(OnnxNodes.Node("Sub", ["emb", "penalty"], ["emb_high"]));
        nodes.Add(OnnxNodes.Node("ReduceMin", ["emb_high"], ["pool_min"], OnnxNodes.Ints("axes", 1), OnnxNodes.Int("keepdims", 0)));
        nodes.Add(OnnxNodes.Node("Concat", ["pool_wmean", "pool_mean", "pool_max", "pool_min"], ["pooled"], OnnxNodes.Int("axis", 1)));
        nodes.Add(OnnxNodes.Node("MatMul", ["pooled", "embedding_weights"], ["embedding_score"]));

        nodes.Add(OnnxNodes.Node("Add", ["word_score", "char_score"], ["lexical_score"]));
        var score = "score";
        if (model.Encoder is not null)
        {
            graph.Input.Add(OnnxNodes.Input(EncoderGraph.IdsInput, TensorProto.Types.DataType.Int64, "N", "S"));
            graph.Input.Add(OnnxNodes.Input(EncoderGraph.MaskInput, TensorProto.Types.DataType.Int64, "N", "S"));
            graph.Initializer.Add(OnnxNodes.Floats("encoder_weights", model.Encoder.Weights, model.Encoder.Weights.Length));
            EncoderGraph.AddTo(graph, model.Features.EncoderLayers, EncoderGraph.IdsInput, EncoderGraph.MaskInput, EncoderGraph.FeaturesOutput, "embedding_table");
            nodes.Add(OnnxNodes.Node("MatMul", [EncoderGraph.FeaturesOutput, "encoder_weights"], ["encoder_score"]));
            nodes.Add(OnnxNodes.Node("Add", ["score_views", "encoder_score"], ["score"]));
            score = "score_views";
        }

        nodes.Add(OnnxNodes.Node("Add", ["lexical_score", "embedding_score"], [score]));
        nodes.Add(OnnxNodes.Node("Add", ["score", "bias"], ["logit"]));
        nodes.Add(OnnxNodes.Node("Sigmoid", ["logit"], ["probability"]));

        var onnx = OnnxNodes.Model(graph, $"features-v{model.Features.Version}");
        if (model.Encoder is not null)
        {
            onnx.MetadataProps.Add(new StringStringEntryProto { Key = EncoderMaxTokensKey, Value = $"{model.Features.EncoderMaxTokens}" });
        }

        return onnx.ToByteArray();
    }
}
