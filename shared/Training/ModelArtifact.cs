using System.Text.Json;
using System.Text.Json.Serialization;

namespace ToxicFunctions.Training;

/// <summary>
/// A model directory: <c>model.onnx</c> (the graph with every weight), <c>metadata.json</c>, <c>roc.png</c> and
/// <c>pr.png</c>. The bytes depend only on the training data and settings (no clock, no machine name).
/// </summary>
public static class ModelArtifact
{
    /// <summary>The ONNX graph file.</summary>
    public const string ModelFile = "model.onnx";

    /// <summary>The fast model's graph of a cascade (see <see cref="CascadeBand"/>).</summary>
    public const string FastModelFile = "fast.onnx";

    /// <summary>The metadata file.</summary>
    public const string MetadataFile = "metadata.json";

    /// <summary>The ROC curve image.</summary>
    public const string RocFile = "roc.png";

    /// <summary>The precision-recall curve image.</summary>
    public const string PrecisionRecallFile = "pr.png";

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes the artifact into <paramref name="directory"/> (created if needed; these files replaced).</summary>
    public static async Task WriteAsync(
        string directory, ModelMetadata metadata, byte[] model, byte[] rocPng, byte[] precisionRecallPng, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllBytesAsync(Path.Combine(directory, ModelFile), model, cancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(directory, RocFile), rocPng, cancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(directory, PrecisionRecallFile), precisionRecallPng, cancellationToken);
        await File.WriteAllBytesAsync(
            Path.Combine(directory, MetadataFile), JsonSerializer.SerializeToUtf8Bytes(metadata, JsonOptions), cancellationToken);
    }

    /// <summary>The files scoring reads: the metadata, the graph and, in a cascade, the fast model's graph.</summary>
    public static IReadOnlyList<string> ScoringFiles(ModelMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return metadata.Cascade is { } cascade ? [MetadataFile, metadata.Onnx.File, cascade.File] : [MetadataFile, metadata.Onnx.File];
    }

    /// <summary>
    /// The files scoring reads, from the <c>metadata.json</c> alone in <paramref name="directory"/> (before the graphs are
    /// there): unreadable metadata gives the single-graph files, for <see cref="ReadMetadataAsync"/> to reject.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ScoringFilesAsync(string directory, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var stream = File.OpenRead(Path.Combine(directory, MetadataFile));
            var metadata = await JsonSerializer.DeserializeAsync<ModelMetadata>(stream, JsonOptions, cancellationToken);
            if (metadata is not null)
            {
                return ScoringFiles(metadata);
            }
        }
        catch (JsonException)
        {
        }

        return [MetadataFile, ModelFile];
    }

    /// <summary>Writes a cascade's fast model into <paramref name="directory"/>, before <see cref="WriteAsync"/> writes the metadata naming it.</summary>
    public static async Task WriteFastModelAsync(string directory, byte[] fastModel, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllBytesAsync(Path.Combine(directory, FastModelFile), fastModel, cancellationToken);
    }

    /// <summary>Reads and checks <c>metadata.json</c> of the artifact in <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidDataException">The directory holds no artifact this code can score with.</exception>
    public static async Task<ModelMetadata> ReadMetadataAsync(string directory, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(directory, MetadataFile);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{directory} is not a model directory: {MetadataFile} is missing.");
        }

        ModelMetadata? metadata;
        try
        {
            await using var stream = File.OpenRead(path);
            metadata = await JsonSerializer.DeserializeAsync<ModelMetadata>(stream, JsonOptions, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid model metadata: {e.Message}", e);
        }

        if (metadata is null || metadata.Format != ModelMetadata.CurrentFormat)
        {
            throw new InvalidDataException($"{path}: unsupported format '{metadata?.Format}', expected {ModelMetadata.CurrentFormat}.");
        }

        metadata.Features.Validate();
        if (!File.Exists(Path.Combine(directory, metadata.Onnx.File)))
        {
            throw new InvalidDataException($"{directory}: the model file {metadata.Onnx.File} is missing.");
        }

        if (metadata.Cascade is { } cascade && (!metadata.Features.UsesEncoder || !File.Exists(Path.Combine(directory, cascade.File))))
        {
            throw new InvalidDataException($"{directory}: the cascade's fast model {cascade.File} is missing, or the model has no encoder view.");
        }

        return metadata;
    }
}
