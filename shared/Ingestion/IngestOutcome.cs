using System.Text.Json.Serialization;

namespace ToxicFunctions.Ingestion;

/// <summary>What happened to an announced object version; serialized by name (<c>"Loaded"</c>, <c>"NotFound"</c>...).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IngestOutcome>))]
public enum IngestOutcome
{
    /// <summary>The object was loaded into staging now.</summary>
    Loaded,

    /// <summary>The same object version had been taken before; nothing was added.</summary>
    AlreadyLoaded,

    /// <summary>The object as a whole could not be loaded (for example, no valid header). Status <c>failed</c>.</summary>
    Failed,

    /// <summary>The announcement was not for a loadable object (a folder marker, an event other than ObjectCreated). Status <c>skipped</c>.</summary>
    Skipped,

    /// <summary>The announced object could not be read: it is gone, or no key it may have been announced under exists. Status <c>not_found</c>.</summary>
    NotFound,
}
