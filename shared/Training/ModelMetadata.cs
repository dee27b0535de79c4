using System.Text.Json.Serialization;

namespace ToxicFunctions.Training;

/// <summary>The artifact's <c>metadata.json</c>: what scoring needs besides the graph, and how the model came to be.</summary>
public sealed record ModelMetadata
{
    /// <summary>The artifact format this code reads and writes.</summary>
    public const string CurrentFormat = "toxic-model/1";

    /// <summary>The decision threshold of the product.</summary>
    public const double DefaultThreshold = 0.45;

    /// <summary>The artifact format.</summary>
    public string Format { get; init; } = CurrentFormat;

    /// <summary>Probabilities at or above this are labelled toxic.</summary>
    public double Threshold { get; init; } = DefaultThreshold;

    /// <summary>The tokenizer of the featurizer.</summary>
    public string Tokenizer { get; init; } = "distilbert-base-uncased";

    /// <summary>The featurizer version (also in <see cref="Features"/>).</summary>
    public int FeatureVersion { get; init; } = FeatureSettings.CurrentVersion;

    /// <summary>Featurizer parameters.</summary>
    public required FeatureSettings Features { get; init; }

    /// <summary>Trainer hyper-parameters.</summary>
    public required TrainerOptions Trainer { get; init; }

    /// <summary>The model file, the graph's inputs and output.</summary>
    public OnnxDescription Onnx { get; init; } = new();

    /// <summary>Seed of the hold-out split (the fit itself is deterministic).</summary>
    public int Seed { get; init; }

    /// <summary>Comments the model was fitted on.</summary>
    public int TrainingRows { get; init; }

    /// <summary>Toxic comments among them.</summary>
    public int TrainingPositives { get; init; }

    /// <summary>Comments held out for <c>Metrics["holdout"]</c> (0 when none).</summary>
    public int HoldoutRows { get; init; }

    /// <summary>SHA-256 of all input comments, see <see cref="TrainingData.Sha256"/>.</summary>
    public required string DataSha256 { get; init; }

    /// <summary>SHA-256 of model.onnx.</summary>
    public required string ModelSha256 { get; init; }

    /// <summary>Metrics at <see cref="Threshold"/>: "training" (in-sample) and, with a hold-out, "holdout".</summary>
    public required IReadOnlyDictionary<string, ClassificationMetrics> Metrics { get; init; }

    /// <summary>Which metrics the curve images show ("holdout" when there is one).</summary>
    public required string CurvesOf { get; init; }

    /// <summary>
    /// When set, the directory is a cascade: the fast model of this section settles the comments outside its band and
    /// only those inside reach the graph of <see cref="Onnx"/> (the encoder model). Absent from single-graph artifacts,
    /// which code without cascades also scores the encoder model alone of a cascade directory with.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CascadeBand? Cascade { get; init; }

    /// <summary>The artifact's files.</summary>
    public sealed record OnnxDescription
    {
        /// <summary>The graph file.</summary>
        public string File { get; init; } = ModelArtifact.ModelFile;

        /// <summary>The default-domain opset.</summary>
        public int Opset { get; init; } = OnnxGraphBuilder.Opset;

        /// <summary>Graph inputs and their shapes.</summary>
        public IReadOnlyList<string> Inputs { get; init; } =
        [
            "word_indices int64[N,Kw]", "word_values float[N,Kw]", "char_indices int64[N,Kc]", "char_values float[N,Kc]",
            "token_ids int64[N,T]", "token_mask float[N,T]",
        ];

        /// <summary>The graph output.</summary>
        public string Output { get; init; } = "probability float[N]";

        /// <summary>The description of the graph <see cref="OnnxGraphBuilder"/> writes for <paramref name="features"/>.</summary>
        public static OnnxDescription For(FeatureSettings features)
        {
            ArgumentNullException.ThrowIfNull(features);
            var description = new OnnxDescription();
            return features.UsesEncoder
                ? description with { Inputs = [.. description.Inputs, $"{EncoderGraph.IdsInput} int64[N,S]", $"{EncoderGraph.MaskInput} int64[N,S]"] }
                : description;
        }
    }
}
