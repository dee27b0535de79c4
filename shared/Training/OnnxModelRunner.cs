using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ToxicFunctions.Training;

/// <summary>
/// Runs the artifact's ONNX graph (<see cref="OnnxGraphBuilder"/>) with ONNX Runtime on featurized comments, sorted by
/// length into batches bounded by padded tokens. Thread-safe: an ORT session may run concurrently and this type keeps no other state.
/// </summary>
public sealed class OnnxModelRunner : IDisposable
{
    private const int MaxBatch = 256;
    private const int MaxPaddedTokens = 1 << 15;
    private const int MaxPaddedEntries = 1 << 20;

    private readonly InferenceSession _session;
    private readonly int? _encoderMaxTokens;
    private readonly bool _perComment;

    /// <summary>Loads a serialized model.</summary>
    public OnnxModelRunner(byte[] model)
        : this(model, perComment: false)
    {
    }

    private OnnxModelRunner(byte[] model, bool perComment)
    {
        _perComment = perComment;
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (perComment)
        {
            options.IntraOpNumThreads = 1;
        }

        _session = new InferenceSession(model, options);
        _encoderMaxTokens = _session.ModelMetadata.CustomMetadataMap.TryGetValue(OnnxGraphBuilder.EncoderMaxTokensKey, out var value)
            ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture)
            : null;
    }

    /// <summary>Loads the model file at <paramref name="path"/>.</summary>
    public OnnxModelRunner(string path)
        : this(File.ReadAllBytes(path))
    {
    }

    /// <summary>
    /// Loads a serialized model that runs each comment alone (no padding), comments in parallel on one thread each, as
    /// <see cref="CommentEncoder"/> encodes them: for a graph with the encoder view this is the cheaper pass (the
    /// batched one pads every comment to the batch's longest and splits each run's matrix products over the cores).
    /// </summary>
    public static OnnxModelRunner PerComment(byte[] model) => new(model, perComment: true);

    /// <summary>The probability of each comment, in order.</summary>
    public float[] Run(IReadOnlyList<CommentFeatures> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (_perComment)
        {
            var all = input.ToArray();
            var result = new float[all.Length];
            Parallel.For(0, all.Length, i => RunBatch(all, i, i + 1, result));
            return result;
        }

        // Batches of similar lengths pad little (the encoder's cost grows with the padded length); results go back in order.
        var order = Enumerable.Range(0, input.Count).OrderBy(i => input[i].TokenIds.Length).ThenBy(i => i).ToArray();
        var features = order.Select(i => input[i]).ToArray();
        var sorted = new float[features.Length];
        var start = 0;
        while (start < features.Length)
        {
            // Every input is padded to its longest row in the batch: bound the tokens and the n-gram entries alike, so
            // that one very long comment cannot blow up the memory of a batch of short ones.
            var end = start;
            var longest = 0;
            var widest = 0;
            while (end < features.Length && end - start < MaxBatch)
            {
                var length = features[end].TokenIds.Length;
                var width = Math.Max(features[end].Words.Indices.Length, features[end].Chars.Indices.Length);
                var rows = end - start + 1;
                if (end > start && (Math.Max(longest, length) * rows > MaxPaddedTokens || (long)Math.Max(widest, width) * rows > MaxPaddedEntries))
                {
                    break;
                }

                longest = Math.Max(longest, length);
                widest = Math.Max(widest, width);
                end++;
            }

            RunBatch(features, start, end, sorted);
            start = end;
        }

        var probabilities = new float[input.Count];
        for (var k = 0; k < order.Length; k++)
        {
            probabilities[order[k]] = sorted[k];
        }

        return probabilities;
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();

    private void RunBatch(CommentFeatures[] features, int start, int end, float[] probabilities)
    {
        var n = end - start;
        var inputs = new List<NamedOnnxValue>
        {
            SparseInput("word", features, start, n, f => f.Words, out var wordValues),
            wordValues,
            SparseInput("char", features, start, n, f => f.Chars, out var charValues),
            charValues,
        };

        var longest = 1;
        for (var i = start; i < end; i++)
        {
            longest = Math.Max(longest, features[i].TokenIds.Length);
        }

        var ids = new DenseTensor<long>([n, longest]);
        var mask = new DenseTensor<float>([n, longest]);
        for (var r = 0; r < n; r++)
        {
            var tokens = features[start + r].TokenIds;
            for (var t = 0; t < tokens.Length; t++)
            {
                ids[r, t] = tokens[t];
                mask[r, t] = 1f;
            }
        }

        inputs.Add(NamedOnnxValue.CreateFromTensor("token_ids", ids));
        inputs.Add(NamedOnnxValue.CreateFromTensor("token_mask", mask));
        if (_encoderMaxTokens is { } maxTokens)
        {
            var width = Math.Min(longest, maxTokens - 2) + 2;
            var encoderIds = new DenseTensor<long>([n, width]);
            var encoderMask = new DenseTensor<long>([n, width]);
            for (var r = 0; r < n; r++)
            {
                var length = CommentEncoder.Input(features[start + r].TokenIds, maxTokens, encoderIds.Buffer.Span.Slice(r * width, width));
                encoderMask.Buffer.Span.Slice(r * width, length).Fill(1);
            }

            inputs.Add(NamedOnnxValue.CreateFromTensor(EncoderGraph.IdsInput, encoderIds));
            inputs.Add(NamedOnnxValue.CreateFromTensor(EncoderGraph.MaskInput, encoderMask));
        }
        using var results = _session.Run(inputs);
        var output = results.Single(r => r.Name == "probability").AsTensor<float>();
        for (var r = 0; r < n; r++)
        {
            probabilities[start + r] = output[r];
        }
    }

    private static NamedOnnxValue SparseInput(
        string block, CommentFeatures[] features, int start, int n, Func<CommentFeatures, SparseCounts> select, out NamedOnnxValue values)
    {
        var widest = 1;
        for (var r = 0; r < n; r++)
        {
            widest = Math.Max(widest, select(features[start + r]).Indices.Length);
        }

        var indexTensor = new DenseTensor<long>([n, widest]);
        var valueTensor = new DenseTensor<float>([n, widest]);
        for (var r = 0; r < n; r++)
        {
            var counts = select(features[start + r]);
            for (var k = 0; k < counts.Indices.Length; k++)
            {
                indexTensor[r, k] = counts.Indices[k];
                valueTensor[r, k] = counts.SublinearTf(k);
            }
        }

        values = NamedOnnxValue.CreateFromTensor($"{block}_values", valueTensor);
        return NamedOnnxValue.CreateFromTensor($"{block}_indices", indexTensor);
    }
}
