using System.Text.Json;

namespace ToxicFunctions.Pipeline;

/// <summary>JSON settings of snapshot files, manifests and stored metrics (camelCase, compact).</summary>
internal static class PipelineJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
