using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ToxicFunctions.Pipeline;

namespace ToxicFunctions.Functions.Pipelines;

/// <summary>HTTP trigger: <c>GET /api/models/{name}/versions/{version}/plots/{plot}</c>, the ROC (<c>roc</c>) or precision-recall (<c>pr</c>) curve of a registered version.</summary>
public sealed class GetModelPlot(ModelPlots plots)
{
    /// <summary>Answers 200 with the PNG image; 400 for a bad version or plot name; 404 when the version or its image does not exist.</summary>
    [Function(nameof(GetModelPlot))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models/{name}/versions/{version}/plots/{plot}")] HttpRequest request,
        string name,
        string version,
        string plot,
        CancellationToken cancellationToken)
    {
        if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            return Problems.BadRequest("Not a version", $"'{version}' is not a positive version number.");
        }

        if (ModelPlots.Parse(plot) is not { } kind)
        {
            return Problems.BadRequest("Unknown plot", $"'{plot}' is not a plot; use roc or pr.");
        }

        var image = await plots.GetAsync(name, number, kind, cancellationToken);
        return image is null
            ? Problems.Create(404, "No such plot", $"Model {name} has no version {number} with a {plot} plot.")
            : new FileContentResult(image, ModelPlots.ContentType);
    }
}
