using Microsoft.Azure.Functions.Worker;

namespace ToxicFunctions.Functions.Ingestion;

/// <summary>
/// The raw container's blob trigger as the app is built. <c>[BlobTrigger]</c> takes its source as an enum property,
/// which takes no <c>%setting%</c>, so the build chooses it: the default LogsAndContainerScan (the host scans the
/// container: containers on Kubernetes, the local host), or EventGrid with <c>-p:BlobTriggerSource=EventGrid</c> (Event
/// Grid delivers BlobCreated events to the host's <c>/runtime/webhooks/blobs</c> endpoint), the only source the Flex
/// Consumption plan supports; infra-bicep subscribes the raw container to it (README, Deploy to Azure).
/// </summary>
public static class RawBlobTrigger
{
    /// <summary>The trigger's path: every blob of the container the setting RawBlobContainer names.</summary>
    public const string Path = "%" + ToxicServiceCollectionExtensions.RawBlobContainerSetting + "%/{name}";

#if BLOB_TRIGGER_SOURCE_EVENTGRID
    /// <summary>The trigger's source (build property BlobTriggerSource).</summary>
    public const BlobTriggerSource Source = BlobTriggerSource.EventGrid;
#else
    /// <summary>The trigger's source (build property BlobTriggerSource).</summary>
    public const BlobTriggerSource Source = BlobTriggerSource.LogsAndContainerScan;
#endif
}
