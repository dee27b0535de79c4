using Microsoft.Extensions.Configuration;

namespace ToxicFunctions.Tests.Infrastructure;

/// <summary>
/// Where the real services of the tests are: the local services of scripts/services.sh by default, overridden by the
/// same environment variables the hosts read (Postgres__ConnectionString, S3__ServiceUrl, RawStorage, ...).
/// </summary>
internal static class TestSettings
{
    public static IConfiguration Configuration { get; } =
        new ConfigurationBuilder().AddEnvironmentVariables().AddLocalDevelopmentDefaults().Build();

    public static string PostgresConnectionString => Configuration["Postgres:ConnectionString"]!;
}
