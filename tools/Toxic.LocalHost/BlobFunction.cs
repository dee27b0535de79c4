using System.Reflection;
using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;

namespace ToxicFunctions.LocalHost;

/// <summary>
/// A blob-triggered function of the Function App, as its attributes declare it: <c>[Function(Name)]</c> on the method
/// and <c>[BlobTrigger(path, Connection = ...)]</c> on one parameter.
/// </summary>
/// <param name="Name">The function name.</param>
/// <param name="Method">The method the Functions host invokes.</param>
/// <param name="Trigger">The trigger attribute, as declared (unresolved).</param>
internal sealed record BlobFunction(string Name, MethodInfo Method, BlobTriggerAttribute Trigger)
{
    /// <summary>The Functions host's default connection setting when the attribute names none.</summary>
    public const string DefaultConnection = "AzureWebJobsStorage";

    /// <summary>Every blob-triggered function declared in <paramref name="assembly"/>, by name.</summary>
    public static IReadOnlyList<BlobFunction> Discover(Assembly assembly) =>
        [.. HttpFunction.FunctionMethods(assembly)
            .Select(m => (Method: m, Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<BlobTriggerAttribute>()).SingleOrDefault(a => a is not null)))
            .Where(f => f.Trigger is not null)
            .Select(f => new BlobFunction(f.Method.GetCustomAttribute<FunctionAttribute>()!.Name, f.Method, f.Trigger!))
            .OrderBy(f => f.Name, StringComparer.Ordinal)];

    /// <summary>The container of the trigger's path (<c>container/{name}</c>), its <c>%setting%</c> resolved as the Functions host resolves it.</summary>
    /// <exception cref="InvalidOperationException">The setting it names is not set.</exception>
    public string ContainerName(IConfiguration configuration) =>
        BindingExpressions.Resolve(Trigger.BlobPath.Split('/')[0], configuration, $"The blob trigger path '{Trigger.BlobPath}' of {Name}");

    /// <summary>The storage account of the trigger's <c>Connection</c> setting (a connection string).</summary>
    /// <exception cref="InvalidOperationException">The connection setting is not set.</exception>
    public BlobServiceClient ServiceClient(IConfiguration configuration)
    {
        var setting = Trigger.Connection is { Length: > 0 } connection ? connection : DefaultConnection;
        return configuration[setting] is { Length: > 0 } value
            ? new BlobServiceClient(value)
            : throw new InvalidOperationException($"The blob trigger of {Name} connects through setting {setting}, which is not set.");
    }
}
