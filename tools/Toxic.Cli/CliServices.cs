using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ToxicFunctions.Cli;

/// <summary>The pipeline's services for a command: local defaults, overridden by environment variables; logs on stderr.</summary>
internal static class CliServices
{
    public static IServiceProvider Build()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddEnvironmentVariables().AddLocalDevelopmentDefaults();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddToxicFunctions(builder.Configuration);
        return builder.Services.BuildServiceProvider();
    }
}
