namespace ToxicFunctions.Training;

/// <summary>
/// What <see cref="ToxicScorer"/> loaded from a HuggingFace sequence-classification export (a directory with an ONNX
/// graph taking <c>input_ids</c> and <c>attention_mask</c> and giving <c>logits</c>, and the model's <c>vocab.txt</c>):
/// the counterpart of <see cref="ModelMetadata"/> for a model this project did not train.
/// </summary>
public sealed record HuggingFaceExportDescription
{
    /// <summary>The threshold of an export whose directory has no <see cref="ScoringFile"/>.</summary>
    public const double DefaultThreshold = 0.5;

    /// <summary>
    /// Our optional file beside the export, <c>{"threshold": 0.45}</c>: the decision threshold, in [0, 1]. Without it
    /// the threshold is <see cref="DefaultThreshold"/>, the argmax of a two-class softmax.
    /// </summary>
    public const string ScoringFile = "toxic-scoring.json";

    /// <summary>The graph file in the directory (<c>model.onnx</c>, or the only <c>*.onnx</c> file).</summary>
    public required string ModelFile { get; init; }

    /// <summary>SHA-256 of <see cref="ModelFile"/>, lower-case hex.</summary>
    public required string ModelSha256 { get; init; }

    /// <summary>The model's name: config.json's <c>_name_or_path</c>, else its <c>model_type</c>, else the directory's name.</summary>
    public required string Name { get; init; }

    /// <summary>config.json's <c>model_type</c> (e.g. <c>distilbert</c>), null without one.</summary>
    public string? ModelType { get; init; }

    /// <summary>
    /// The longest input in tokens, [CLS] and [SEP] included: the least of 512, config.json's
    /// <c>max_position_embeddings</c> and tokenizer_config.json's <c>model_max_length</c>; longer comments are cut.
    /// </summary>
    public required int MaxTokens { get; init; }

    /// <summary>Columns of <c>logits</c>: 1 or 2.</summary>
    public required int Classes { get; init; }

    /// <summary>The column of <c>logits</c> that is the toxic class (0 with one column).</summary>
    public required int ToxicClass { get; init; }

    /// <summary>config.json's <c>id2label</c> name of <see cref="ToxicClass"/>, null without one.</summary>
    public string? ToxicLabel { get; init; }

    /// <summary>
    /// How logits become the probability: <c>sigmoid</c> (one column, or two with config.json's <c>problem_type</c>
    /// <c>multi_label_classification</c>: the sigmoid of the toxic column) or <c>softmax</c> (two columns).
    /// </summary>
    public required string Activation { get; init; }

    /// <summary>Whether the graph takes <c>token_type_ids</c> (BERT exports do; they are fed zeros, one segment).</summary>
    public bool TokenTypeIds { get; init; }

    /// <summary>Probabilities at or above this are labelled toxic (<see cref="ScoringFile"/>, else <see cref="DefaultThreshold"/>).</summary>
    public double Threshold { get; init; } = DefaultThreshold;
}
