using ToxicFunctions.Training;

namespace ToxicFunctions.Pipeline;

/// <summary>The curve images of registered model versions, read from their model directories in the artifact store.</summary>
public sealed class ModelPlots(ModelRegistry registry, IArtifactStore store)
{
    /// <summary>The media type of the images (<see cref="CurvePlot"/> writes PNG).</summary>
    public const string ContentType = "image/png";

    /// <summary>The plot named in a route: <c>roc</c> or <c>pr</c>; null for anything else.</summary>
    public static ModelPlot? Parse(string name) => name switch
    {
        "roc" => ModelPlot.Roc,
        "pr" => ModelPlot.PrecisionRecall,
        _ => null,
    };

    /// <summary>The image of <paramref name="plot"/> of a model version, or null when the version is not registered or its directory lacks the image.</summary>
    public async Task<byte[]?> GetAsync(string modelName, int version, ModelPlot plot, CancellationToken cancellationToken)
    {
        if (await registry.GetVersionAsync(modelName, version, cancellationToken) is not { } registered)
        {
            return null;
        }

        var key = ModelEvaluator.PrefixOf(registered.ArtifactUri) + (plot == ModelPlot.Roc ? ModelArtifact.RocFile : ModelArtifact.PrecisionRecallFile);
        // The store downloads into files (model graphs are large); an image is small, so it is read back and the file removed.
        var path = Path.Combine(Path.GetTempPath(), $"toxic-plot-{Guid.NewGuid():N}.png");
        try
        {
            await store.GetFileAsync(key, path, cancellationToken);
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
