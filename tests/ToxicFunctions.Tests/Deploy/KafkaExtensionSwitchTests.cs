using System.Text.Json;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Deploy;

/// <summary>
/// The KafkaExtension switch of functions/ToxicFunctions.Functions.csproj, as MSBuild evaluates it: by default the
/// mirror types of functions/KafkaExtensionMirror/ are compiled and the Kafka worker extension package is not
/// referenced; with -p:KafkaExtension=Official (what functions/Dockerfile builds) no mirror file is compiled and the
/// package is referenced. Evaluation only: the package need not be obtainable.
/// </summary>
public sealed class KafkaExtensionSwitchTests
{
    private const string Package = "Microsoft.Azure.Functions.Worker.Extensions.Kafka";
    private const string MirrorFolder = "KafkaExtensionMirror/";

    [Fact]
    public void Default_build_compiles_the_mirror_and_references_no_package()
    {
        var (compile, packages) = Evaluate(official: false);

        var mirrorOnDisk = Directory.GetFiles(Repository.PathOf("functions/KafkaExtensionMirror"), "*.cs", SearchOption.AllDirectories)
            .Select(f => MirrorFolder + Path.GetRelativePath(Repository.PathOf("functions/KafkaExtensionMirror"), f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(mirrorOnDisk);
        Assert.Equal(mirrorOnDisk, compile.Where(IsMirror).Order(StringComparer.Ordinal).ToList());
        Assert.Contains("Program.cs", compile);
        Assert.DoesNotContain(Package, packages);
    }

    [Fact]
    public void Official_build_leaves_the_mirror_out_and_references_the_package()
    {
        var (compile, packages) = Evaluate(official: true);

        Assert.DoesNotContain(compile, IsMirror);
        Assert.Contains("Program.cs", compile);
        Assert.Contains("Streaming/StreamCommentChanges.cs", compile);
        Assert.Contains(Package, packages);
    }

    [Fact]
    public void Package_version_is_pinned_centrally()
    {
        var props = File.ReadAllText(Repository.PathOf("Directory.Packages.props"));
        Assert.Contains($"<PackageVersion Include=\"{Package}\" Version=\"4.1.3\" />", props, StringComparison.Ordinal);
    }

    [Fact]
    public void Dockerfile_builds_with_the_official_extension_by_default()
    {
        var dockerfile = File.ReadAllLines(Repository.PathOf("functions/Dockerfile"));
        Assert.Contains("ARG KAFKA_EXTENSION=Official", dockerfile);
        Assert.Contains(dockerfile, l => l.Contains("dotnet restore", StringComparison.Ordinal) && l.Contains("-p:KafkaExtension=${KAFKA_EXTENSION}", StringComparison.Ordinal));
        Assert.Contains(dockerfile, l => l.Contains("-p:KafkaExtension=${KAFKA_EXTENSION}", StringComparison.Ordinal) && l.TrimStart().StartsWith("-p:", StringComparison.Ordinal));
    }

    private static bool IsMirror(string path) => path.StartsWith(MirrorFolder, StringComparison.Ordinal);

    private static (List<string> Compile, List<string> Packages) Evaluate(bool official)
    {
        List<string> arguments = ["msbuild", "functions/ToxicFunctions.Functions.csproj", "-getItem:Compile", "-getItem:PackageReference", "-nologo"];
        if (official)
        {
            arguments.Add("-p:KafkaExtension=Official");
        }

        var (exitCode, output, error) = ChildProcess.Run(
            "dotnet", arguments, Repository.Root, TimeSpan.FromMinutes(3), "the .NET SDK (dotnet) must be on PATH");
        Assert.True(exitCode == 0, $"dotnet {string.Join(' ', arguments)} exited with {exitCode}:\n{output}\n{error}");

        using var json = JsonDocument.Parse(output);
        var items = json.RootElement.GetProperty("Items");
        var compile = items.GetProperty("Compile").EnumerateArray()
            .Select(i => i.GetProperty("Identity").GetString()!.Replace('\\', '/'))
            .ToList();
        var packages = items.GetProperty("PackageReference").EnumerateArray()
            .Select(i => i.GetProperty("Identity").GetString()!)
            .ToList();
        return (compile, packages);
    }
}
