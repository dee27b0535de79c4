using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using ToxicFunctions.Functions.Ingestion;
using ToxicFunctions.LocalHost;

namespace ToxicFunctions.Tests.Functions;

/// <summary>The local host serves every HTTP function of the Function App exactly at the methods and route of its attributes.</summary>
public sealed class LocalHostRouteTests
{
    [Fact]
    public async Task Every_http_trigger_attribute_is_served_at_its_methods_and_route_and_nothing_else_under_api()
    {
        // What the attributes declare, read here independently of the host's own discovery.
        var declared = typeof(S3Events).Assembly.GetExportedTypes()
            .SelectMany(t => t.GetMethods())
            .Select(m => (Function: m.GetCustomAttribute<FunctionAttribute>(), Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(f => f.Function is not null && f.Trigger is not null)
            .SelectMany(f => f.Trigger!.Methods!.Select(method => $"{method.ToUpperInvariant()} /api/{f.Trigger.Route} {f.Function!.Name}"))
            .Order()
            .ToArray();
        Assert.Contains("POST /api/s3/events S3Events", declared);
        Assert.Contains("POST /api/pipelines/training StartTrainingPipeline", declared);

        var app = LocalFunctionHost.Build(["--Postgres:ConnectionString=Host=127.0.0.1;Port=1"]);
        await using var _ = app;
        var served = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(method => $"{method} {e.RoutePattern.RawText} {e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName}"))
            .Order()
            .ToArray();

        Assert.Equal(declared, served);
    }

    [Fact]
    public void A_function_the_host_cannot_bind_fails_the_build_of_the_host_not_its_first_request()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddRouting();
        var app = builder.Build();
        var unservable = HttpFunction.Discover(typeof(LocalHostRouteTests).Assembly);

        var error = Assert.Throws<InvalidOperationException>(() => app.MapHttpFunctions(unservable, new Dictionary<string, Delegate>()));
        Assert.Contains(nameof(UnbindableFunction), error.Message, StringComparison.Ordinal);
        Assert.Contains("'count'", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>A function with a parameter no HTTP trigger binds (not a route value, not a known binding).</summary>
public sealed class UnbindableFunction
{
    /// <summary>Never invoked.</summary>
    [Function(nameof(UnbindableFunction))]
    public Task<Microsoft.AspNetCore.Mvc.IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "unbindable")] Microsoft.AspNetCore.Http.HttpRequest request, int count) =>
        throw new NotSupportedException();
}
