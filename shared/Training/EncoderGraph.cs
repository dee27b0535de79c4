using Google.Protobuf;
using ToxicFunctions.Training.Onnx.Proto;

namespace ToxicFunctions.Training;

/// <summary>
/// The frozen encoder of the encoder view as ONNX nodes: the first <c>layers</c> transformer layers of all-MiniLM-L6-v2
/// (copied from the package's graph, names prefixed) over <c>[CLS] ids [SEP]</c>, then the mean, maximum and minimum of
/// the hidden states over the unmasked positions (<see cref="Dimension"/> floats per comment). The same nodes run
/// standalone (<see cref="BuildStandalone"/>, for featurizing at training time) and inside the artifact's graph, so
/// training and scoring compute identical features.
/// </summary>
public static class EncoderGraph
{
    /// <summary>The width of a hidden state.</summary>
    public const int HiddenSize = 384;

    /// <summary>The pooled features per comment: mean, max and min of the hidden states.</summary>
    public const int Dimension = 3 * HiddenSize;

    /// <summary>The most transformer layers there are.</summary>
    public const int MaxLayers = 6;

    /// <summary>The input of token ids (int64 [N, S], [CLS] first, [SEP] last, 0 padding) of a standalone graph.</summary>
    public const string IdsInput = "encoder_ids";

    /// <summary>The attention mask input (int64 [N, S], 1 for tokens, 0 for padding) of a standalone graph.</summary>
    public const string MaskInput = "encoder_mask";

    /// <summary>The pooled features output (float [N, <see cref="Dimension"/>]) of a standalone graph.</summary>
    public const string FeaturesOutput = "encoder_features";

    private const string Prefix = "minilm/";
    private const string WordEmbeddings = "embeddings.word_embeddings.weight";

    // The output of each transformer layer (the LayerNorm after its feed-forward block) in the package's exported graph.
    private static readonly string[] s_layerOutputs = ["275", "404", "533", "662", "791", "last_hidden_state"];

    /// <summary>A standalone model: inputs <see cref="IdsInput"/>, <see cref="MaskInput"/>; output <see cref="FeaturesOutput"/>.</summary>
    public static byte[] BuildStandalone(int layers)
    {
        var graph = new GraphProto { Name = $"minilm_{layers}_layers_pooled" };
        graph.Input.Add(OnnxNodes.Input(IdsInput, TensorProto.Types.DataType.Int64, "N", "S"));
        graph.Input.Add(OnnxNodes.Input(MaskInput, TensorProto.Types.DataType.Int64, "N", "S"));
        graph.Output.Add(OnnxNodes.Input(FeaturesOutput, TensorProto.Types.DataType.Float, "N", "D"));
        AddTo(graph, layers, IdsInput, MaskInput, FeaturesOutput, embeddingTable: null);
        return OnnxNodes.Model(graph, "encoder").ToByteArray();
    }

    /// <summary>
    /// Adds the encoder and pooling nodes to <paramref name="graph"/>, reading <paramref name="ids"/> and
    /// <paramref name="mask"/> and writing <paramref name="output"/>. The word embedding table is the initializer named
    /// <paramref name="embeddingTable"/> when the graph already holds it, else it is added.
    /// </summary>
    internal static void AddTo(GraphProto graph, int layers, string ids, string mask, string output, string? embeddingTable)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (layers is < 1 or > MaxLayers)
        {
            throw new ArgumentOutOfRangeException(nameof(layers), layers, $"The encoder has 1 to {MaxLayers} layers.");
        }

        var source = MiniLmModel.Proto.Graph;
        var hidden = s_layerOutputs[layers - 1];
        var producers = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        foreach (var node in source.Node)
        {
            foreach (var name in node.Output)
            {
                producers[name] = node;
            }
        }

        if (!producers.ContainsKey(hidden))
        {
            throw new InvalidDataException($"The MiniLM graph has no tensor {hidden}; the package is not the expected version.");
        }

        // Only the nodes the chosen layer's output depends on, in the source's (topological) order.
        var needed = new HashSet<NodeProto>();
        var pending = new Stack<string>([hidden]);
        while (pending.Count > 0)
        {
            if (producers.TryGetValue(pending.Pop(), out var node) && needed.Add(node))
            {
                foreach (var input in node.Input)
                {
                    pending.Push(input);
                }
            }
        }

        var typeIds = Prefix + "token_type_ids";
        string Rename(string name) => name switch
        {
            "" => "",
            "input_ids" => ids,
            "attention_mask" => mask,
            "token_type_ids" => typeIds,
            WordEmbeddings when embeddingTable is not null => embeddingTable,
            _ => Prefix + name,
        };

        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in source.Node.Where(needed.Contains))
        {
            var copy = node.Clone();
            copy.Name = Prefix + node.Name;
            copy.Input.Clear();
            copy.Input.Add(node.Input.Select(Rename));
            copy.Output.Clear();
            copy.Output.Add(node.Output.Select(Rename));
            used.UnionWith(node.Input);
            graph.Node.Add(copy);
        }

        foreach (var initializer in source.Initializer.Where(i => used.Contains(i.Name)))
        {
            if (initializer.Name == WordEmbeddings && embeddingTable is not null)
            {
                continue;
            }

            var copy = initializer.Clone();
            copy.Name = Rename(initializer.Name);
            graph.Initializer.Add(copy);
        }

        // Segment ids are all 0: ids * 0.
        var p = Prefix;
        graph.Initializer.Add(OnnxNodes.Int64s(p + "zero", [0]));
        graph.Node.Insert(0, OnnxNodes.Node("Mul", [ids, p + "zero"], [typeIds]));

        // Pooling over unmasked positions: mean, max (masked positions pushed down), min (pushed up).
        graph.Initializer.Add(OnnxNodes.Floats(p + "one", [1f]));
        graph.Initializer.Add(OnnxNodes.Floats(p + "padding_penalty", [1e4f]));
        graph.Initializer.Add(OnnxNodes.Int64s(p + "axis_1", [1], 1));
        graph.Initializer.Add(OnnxNodes.Int64s(p + "axis_2", [2], 1));
        var h = Rename(hidden);
        var nodes = graph.Node;
        nodes.Add(OnnxNodes.Node("Cast", [mask], [p + "mask_f"], OnnxNodes.Int("to", (long)TensorProto.Types.DataType.Float)));
        nodes.Add(OnnxNodes.Node("Unsqueeze", [p + "mask_f", p + "axis_2"], [p + "mask_3"]));
        nodes.Add(OnnxNodes.Node("Mul", [h, p + "mask_3"], [p + "h_masked"]));
        nodes.Add(OnnxNodes.Node("ReduceSum", [p + "h_masked", p + "axis_1"], [p + "sum"], OnnxNodes.Int("keepdims", 0)));
        nodes.Add(OnnxNodes.Node("ReduceSum", [p + "mask_f", p + "axis_1"], [p + "count"], OnnxNodes.Int("keepdims", 1)));
        nodes.Add(OnnxNodes.Node("Max", [p + "count", p + "one"], [p + "count_c"]));
        nodes.Add(OnnxNodes.Node("Div", [p + "sum", p + "count_c"], [p + "mean"]));
        nodes.Add(OnnxNodes.Node("Sub", [p + "mask_3", p + "one"], [p + "mask_off"]));
        nodes.Add(OnnxNodes.Node("Mul", [p + "mask_off", p + "padding_penalty"], [p + "penalty"]));
        nodes.Add(OnnxNodes.Node("Add", [h, p + "penalty"], [p + "h_low"]));
        nodes.Add(OnnxNodes.Node("ReduceMax", [p + "h_low"], [p + "max"], OnnxNodes.Ints("axes", 1), OnnxNodes.Int("keepdims", 0)));
        nodes.Add(OnnxNodes.Node("Sub", [h, p + "penalty"], [p + "h_high"]));
        nodes.Add(OnnxNodes.Node("ReduceMin", [p + "h_high"], [p + "min"], OnnxNodes.Ints("axes", 1), OnnxNodes.Int("keepdims", 0)));
        nodes.Add(OnnxNodes.Node("Concat", [p + "mean", p + "max", p + "min"], [output], OnnxNodes.Int("axis", 1)));
    }
}
