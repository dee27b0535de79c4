using System.Text.Json.Serialization;
using ToxicFunctions.Tokenization;

namespace ToxicFunctions.Training;

/// <summary>
/// How a comment becomes model inputs; stored in the artifact's metadata, so that scoring featurizes exactly as
/// training did. <see cref="Version"/> changes whenever the featurizer's code changes what it produces.
/// </summary>
public sealed record FeatureSettings
{
    /// <summary>The featurizer version these settings belong to.</summary>
    public const int CurrentVersion = 2;

    /// <summary>The oldest featurizer version this code still scores (version 1 has no encoder view).</summary>
    public const int OldestVersion = 1;

    /// <summary>The featurizer version.</summary>
    public int Version { get; init; } = CurrentVersion;

    /// <summary>The tokenizer whose ids feed the word and embedding views.</summary>
    public string Tokenizer { get; init; } = "distilbert-base-uncased";

    /// <summary>Log2 of the number of hashed word n-gram buckets (n-grams of WordPiece ids).</summary>
    public int WordHashBits { get; init; } = 20;

    /// <summary>The shortest word n-gram.</summary>
    public int WordMinN { get; init; } = 1;

    /// <summary>The longest word n-gram.</summary>
    public int WordMaxN { get; init; } = 2;

    /// <summary>Word n-grams seen in fewer training comments get no weight.</summary>
    public int WordMinDocumentFrequency { get; init; } = 1;

    /// <summary>Log2 of the number of hashed character n-gram buckets.</summary>
    public int CharHashBits { get; init; } = 20;

    /// <summary>The shortest character n-gram (within space-padded lower-cased words, like scikit-learn's char_wb).</summary>
    public int CharMinN { get; init; } = 2;

    /// <summary>The longest character n-gram.</summary>
    public int CharMaxN { get; init; } = 5;

    /// <summary>Character n-grams seen in fewer training comments get no weight.</summary>
    public int CharMinDocumentFrequency { get; init; } = 2;

    /// <summary>The frozen token embedding table of the embedding view.</summary>
    public string Embedding { get; init; } = StaticEmbeddingTable.SourceName;

    /// <summary>The width of one token embedding.</summary>
    public int EmbeddingDimension { get; init; } = StaticEmbeddingTable.Dimension;

    /// <summary>Transformer layers of the frozen encoder whose pooled states feed the encoder view (version 2 on; 0: no encoder view).</summary>
    public int EncoderLayers { get; init; } = 4;

    /// <summary>The longest encoder input, [CLS] and [SEP] included; longer comments are cut.</summary>
    public int EncoderMaxTokens { get; init; } = 256;

    /// <summary>Whether the model has the encoder view.</summary>
    [JsonIgnore]
    public bool UsesEncoder => Version >= 2 && EncoderLayers > 0;

    /// <summary>Throws when these settings cannot be featurized by this code.</summary>
    public void Validate()
    {
        if (Version is < OldestVersion or > CurrentVersion)
        {
            throw new InvalidDataException($"Feature version {Version} is not supported; this code featurizes versions {OldestVersion} to {CurrentVersion}.");
        }

        if (UsesEncoder && (EncoderLayers > EncoderGraph.MaxLayers || EncoderMaxTokens is < 3 or > WordPieceTokenizer.MaxTokens))
        {
            throw new InvalidDataException($"The encoder has 1 to {EncoderGraph.MaxLayers} layers and reads 3 to {WordPieceTokenizer.MaxTokens} tokens.");
        }

        if (WordHashBits is < 8 or > 24 || CharHashBits is < 8 or > 24)
        {
            throw new InvalidDataException("Hash bits must be between 8 and 24.");
        }

        if (WordMinN < 1 || WordMaxN < WordMinN || WordMaxN > 3 || CharMinN < 1 || CharMaxN < CharMinN || CharMaxN > 8)
        {
            throw new InvalidDataException("Invalid n-gram ranges.");
        }

        if (EmbeddingDimension != StaticEmbeddingTable.Dimension || Embedding != StaticEmbeddingTable.SourceName)
        {
            throw new InvalidDataException($"Unsupported embedding {Embedding} ({EmbeddingDimension}).");
        }
    }
}
