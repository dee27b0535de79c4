using System.Text.Json;

namespace ToxicFunctions.Tests.Functions;

/// <summary>
/// The functions.metadata that the Worker SDK generates for the Function App (copied next to the tests by the build):
/// it is what the Functions host reads to wire triggers, so every binding is checked here.
/// </summary>
public sealed class FunctionMetadataTests
{
    private static readonly JsonElement[] s_functions = Load();

    private static JsonElement[] Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        Assert.True(File.Exists(path), $"{path} is missing: the Function App build did not generate it");
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return [.. json.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private static JsonElement Binding(string function, string type)
    {
        var entry = Assert.Single(s_functions, f => f.GetProperty("name").GetString() == function);
        Assert.Equal("ToxicFunctions.Functions.dll", entry.GetProperty("scriptFile").GetString());
        return Assert.Single(entry.GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString() == type);
    }

    [Fact]
    public void IngestRawBlob_is_a_blob_trigger_on_the_configured_raw_container()
    {
        var trigger = Binding("IngestRawBlob", "blobTrigger");
        Assert.Equal("In", trigger.GetProperty("direction").GetString());
        Assert.Equal("%RawBlobContainer%/{name}", trigger.GetProperty("path").GetString());
        Assert.Equal("RawStorage", trigger.GetProperty("connection").GetString());
        // The default build scans the container; -p:BlobTriggerSource=EventGrid (BlobTriggerSourceBuildTests) changes this.
        Assert.Equal("LogsAndContainerScan", trigger.GetProperty("source").GetString());
    }

    [Fact]
    public void S3Events_is_an_http_post_trigger_on_s3_events()
    {
        var trigger = Binding("S3Events", "httpTrigger");
        Assert.Equal("s3/events", trigger.GetProperty("route").GetString());
        Assert.Equal(["post"], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("Function", trigger.GetProperty("authLevel").GetString());
        Assert.Equal("Out", Binding("S3Events", "http").GetProperty("direction").GetString());
    }

    [Theory]
    [InlineData("Transform")]
    [InlineData("Validate")]
    public void Transform_and_Validate_are_durable_activities_of_the_orchestrations_library(string function)
    {
        var entry = Assert.Single(s_functions, f => f.GetProperty("name").GetString() == function);
        Assert.Equal("ToxicFunctions.Orchestrations.dll", entry.GetProperty("scriptFile").GetString());
        var trigger = Assert.Single(entry.GetProperty("bindings").EnumerateArray());
        Assert.Equal("activityTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("In", trigger.GetProperty("direction").GetString());
    }

    [Theory]
    [InlineData("StartValidation", "validations", "post")]
    [InlineData("GetValidation", "validations/{runId}", "get")]
    public void Validation_endpoints_are_http_triggers(string function, string route, string method)
    {
        var trigger = Binding(function, "httpTrigger");
        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Equal([method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("Function", trigger.GetProperty("authLevel").GetString());
    }

    /// <summary>The curve images ./run.sh links to are served by the Functions host too, from its generated metadata.</summary>
    [Fact]
    public void The_model_plot_endpoint_is_an_http_trigger() => Validation_endpoints_are_http_triggers("GetModelPlot", "models/{name}/versions/{version}/plots/{plot}", "get");
}
