using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Deploy;

/// <summary>
/// The build property BlobTriggerSource of functions/ToxicFunctions.Functions.csproj, which chooses where the raw blob
/// trigger learns of new blobs (functions/Ingestion/RawBlobTrigger.cs): each accepted value defines the symbol the
/// source tests, an unknown value stops the build with the accepted ones, and functions/Dockerfile passes it through.
/// Evaluation only, no compile: FunctionMetadataTests reads the default build's functions.metadata.
/// </summary>
public sealed class BlobTriggerSourceBuildTests
{
    [Theory]
    [InlineData(null, "BLOB_TRIGGER_SOURCE_LOGSANDCONTAINERSCAN")]
    [InlineData("EventGrid", "BLOB_TRIGGER_SOURCE_EVENTGRID")]
    [InlineData("eventgrid", "BLOB_TRIGGER_SOURCE_EVENTGRID")]
    public void The_build_property_defines_the_symbol_the_trigger_tests(string? source, string symbol)
    {
        List<string> arguments = ["msbuild", "functions/ToxicFunctions.Functions.csproj", "-nologo", "-getProperty:DefineConstants"];
        if (source is not null)
        {
            arguments.Add($"-p:BlobTriggerSource={source}");
        }

        var (exitCode, output, error) = Dotnet(arguments);

        Assert.True(exitCode == 0, $"dotnet {string.Join(' ', arguments)} exited with {exitCode}:\n{output}\n{error}");
        Assert.Contains(symbol, output.Trim().Split(';'));
        var code = File.ReadAllText(Repository.PathOf("functions/Ingestion/RawBlobTrigger.cs"));
        Assert.Contains("#if BLOB_TRIGGER_SOURCE_EVENTGRID", code, StringComparison.Ordinal);
        Assert.Contains("BlobTriggerSource.EventGrid;", code, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_source_stops_the_build_naming_the_accepted_ones()
    {
        var (exitCode, output, _) = Dotnet(
            ["msbuild", "functions/ToxicFunctions.Functions.csproj", "-nologo", "-t:CheckBlobTriggerSource", "-p:BlobTriggerSource=Polling"]);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("BlobTriggerSource is 'Polling': use LogsAndContainerScan (the default) or EventGrid.", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Dockerfile_passes_the_source_through()
    {
        var dockerfile = File.ReadAllText(Repository.PathOf("functions/Dockerfile"));
        Assert.Contains("ARG BLOB_TRIGGER_SOURCE=LogsAndContainerScan", dockerfile, StringComparison.Ordinal);
        Assert.Contains("-p:BlobTriggerSource=${BLOB_TRIGGER_SOURCE}", dockerfile, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Output, string Error) Dotnet(List<string> arguments) =>
        ChildProcess.Run("dotnet", arguments, Repository.Root, TimeSpan.FromMinutes(3), "the .NET SDK (dotnet) must be on PATH");
}
