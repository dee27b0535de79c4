using System.Text.RegularExpressions;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Deploy;

/// <summary>
/// The build properties KafkaProtocol and KafkaAuthenticationMode of functions/ToxicFunctions.Functions.csproj, which
/// choose the Kafka trigger's built-in protocol and SASL mechanism (functions/Streaming/KafkaTriggerSecurity.cs), as
/// MSBuild evaluates them: each accepted value defines the symbol the source tests, an unknown value stops the build
/// with the accepted ones, and functions/Dockerfile passes both through. Evaluation only, no compile.
/// </summary>
public sealed partial class KafkaTriggerSecurityBuildTests
{
    [Theory]
    [InlineData(null, null, "KAFKA_PROTOCOL_NOTSET", "KAFKA_AUTHENTICATION_NOTSET")]
    [InlineData("SaslSsl", "Plain", "KAFKA_PROTOCOL_SASLSSL", "KAFKA_AUTHENTICATION_PLAIN")]
    [InlineData("saslPlaintext", "scramSha512", "KAFKA_PROTOCOL_SASLPLAINTEXT", "KAFKA_AUTHENTICATION_SCRAMSHA512")]
    public void Build_properties_define_the_symbols_the_trigger_security_tests(string? protocol, string? mode, string protocolSymbol, string modeSymbol)
    {
        List<string> arguments = ["msbuild", "functions/ToxicFunctions.Functions.csproj", "-nologo", "-getProperty:DefineConstants"];
        arguments.AddRange(Properties(protocol, mode));

        var (exitCode, output, error) = Dotnet(arguments);

        Assert.True(exitCode == 0, $"dotnet {string.Join(' ', arguments)} exited with {exitCode}:\n{output}\n{error}");
        var symbols = output.Trim().Split(';');
        Assert.Contains(protocolSymbol, symbols);
        Assert.Contains(modeSymbol, symbols);

        // The source has a branch for every symbol but NotSet, the #else.
        var source = File.ReadAllText(Repository.PathOf("functions/Streaming/KafkaTriggerSecurity.cs"));
        foreach (var symbol in new[] { protocolSymbol, modeSymbol }.Where(s => !s.EndsWith("_NOTSET", StringComparison.Ordinal)))
        {
            Assert.Contains($"#if {symbol}", source.Replace("#elif", "#if", StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("SASL_SSL", null, "KafkaProtocol is 'SASL_SSL'")]
    [InlineData(null, "OAuthBearer", "KafkaAuthenticationMode is 'OAuthBearer'")]
    public void Unknown_values_stop_the_build_naming_the_accepted_ones(string? protocol, string? mode, string message)
    {
        List<string> arguments = ["msbuild", "functions/ToxicFunctions.Functions.csproj", "-nologo", "-t:CheckKafkaExtension"];
        arguments.AddRange(Properties(protocol, mode));

        var (exitCode, output, _) = Dotnet(arguments);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(message, output, StringComparison.Ordinal);
        Assert.Contains("(the default)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_symbol_of_the_source_is_an_accepted_value_of_the_project()
    {
        var source = File.ReadAllText(Repository.PathOf("functions/Streaming/KafkaTriggerSecurity.cs"));
        var project = File.ReadAllText(Repository.PathOf("functions/ToxicFunctions.Functions.csproj"));
        var symbols = Symbol().Matches(source).Select(m => (Property: m.Groups[1].Value, Value: m.Groups[2].Value)).ToList();
        Assert.True(symbols.Count >= 7, "KafkaTriggerSecurity.cs tests fewer symbols than expected");
        foreach (var (property, value) in symbols)
        {
            var name = property == "PROTOCOL" ? "KafkaProtocol" : "KafkaAuthenticationMode";
            Assert.Contains($"'$({name}.ToUpperInvariant())' != '{value}'", project, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Dockerfile_passes_the_trigger_security_through()
    {
        var dockerfile = File.ReadAllText(Repository.PathOf("functions/Dockerfile"));
        Assert.Contains("ARG KAFKA_PROTOCOL=NotSet", dockerfile, StringComparison.Ordinal);
        Assert.Contains("ARG KAFKA_AUTHENTICATION_MODE=NotSet", dockerfile, StringComparison.Ordinal);
        Assert.Contains("-p:KafkaProtocol=${KAFKA_PROTOCOL}", dockerfile, StringComparison.Ordinal);
        Assert.Contains("-p:KafkaAuthenticationMode=${KAFKA_AUTHENTICATION_MODE}", dockerfile, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Properties(string? protocol, string? mode)
    {
        if (protocol is not null)
        {
            yield return $"-p:KafkaProtocol={protocol}";
        }

        if (mode is not null)
        {
            yield return $"-p:KafkaAuthenticationMode={mode}";
        }
    }

    private static (int ExitCode, string Output, string Error) Dotnet(List<string> arguments) =>
        ChildProcess.Run("dotnet", arguments, Repository.Root, TimeSpan.FromMinutes(3), "the .NET SDK (dotnet) must be on PATH");

    [GeneratedRegex(@"#(?:el)?if KAFKA_(PROTOCOL|AUTHENTICATION)_(\w+)")]
    private static partial Regex Symbol();
}
