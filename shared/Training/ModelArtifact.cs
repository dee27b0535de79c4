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

        return metadata;
    }
}
