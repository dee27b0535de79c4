using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ToxicFunctions.Training;

/// <summary>
/// Runs the artifact's ONNX graph (<see cref="OnnxGraphBuilder"/>) with ONNX Runtime on featurized comments, sorted by
/// width into sub-batches bounded by their padding, which run side by side (one ORT thread each). Thread-safe: an ORT
/// session may run concurrently and this type keeps no other state.
/// </summary>
public sealed class OnnxModelRunner : IDisposable
{
    private const int MaxBatch = 256;
    private const int MaxPaddedTokens = 1 << 15;
    private const int MaxPaddedEntries = 1 << 20;

    // A sub-batch may pad to at most this multiple of what its rows hold, plus SmallRows entries or tokens per row (so
    // that short comments still run together: a run costs about 0.07 ms on its own).
    private const double PaddingSlack = 1.25;
    private const int SmallRows = 32;

    // Calls of fewer comments per processor than this are not split further for the processors' sake.
    private const int MinSplitRows = 4;

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

        // ORT's intra-op threads spin between runs by default, taking the processors from everything else in the
        // process (HTTP, JSON, featurizing the next batch); a server shares them, so they sleep instead.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");

        // One thread per run: the sub-batches of a call (and concurrent calls) run side by side instead, which on this
        // model keeps the processors busier than ORT's intra-op parallelism does (measured: 2 concurrent single-threaded
        // runs score about 1.7x the comments per second of one run on 2 threads).
        options.IntraOpNumThreads = 1;
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
            Parallel.For(0, all.Length, BoundedParallelism.Options, i => RunBatch(all, i, i + 1, result));
            return result;
        }

        // Every input of a sub-batch is padded to its widest row, so rows are sorted by width (n-gram entries, which
        // grow with the comment's length) and a sub-batch ends before its padding would exceed PaddingSlack of what its
        // rows hold, in n-gram entries and in tokens (the encoder's cost grows with the padded length), or an absolute
        // bound, so that one long comment neither blows up the memory nor the work of a batch of short ones. Results go
        // back in order.
        var order = Enumerable.Range(0, input.Count).OrderBy(i => Width(input[i])).ThenBy(i => input[i].TokenIds.Length).ThenBy(i => i).ToArray();
        var features = order.Select(i => input[i]).ToArray();
        // At least one sub-batch per processor, so that a call of similar comments still uses them all.
        var maxRows = Math.Clamp((features.Length + Environment.ProcessorCount - 1) / Environment.ProcessorCount, MinSplitRows, MaxBatch);
        var batches = new List<(int Start, int End)>();
        var start = 0;
        while (start < features.Length)
        {
            var end = start;
            long widest = 0, longest = 0, entries = 0, tokens = 0;
            while (end < features.Length && end - start < maxRows)
            {
                var width = Width(features[end]);
                var length = features[end].TokenIds.Length;
                var rows = end - start + 1;
                var paddedEntries = Math.Max(widest, width) * rows;
                var paddedTokens = Math.Max(longest, length) * rows;
                if (end > start
                    && (paddedTokens > MaxPaddedTokens || paddedEntries > MaxPaddedEntries
                        || paddedEntries > PaddingSlack * (entries + width) + SmallRows * rows
                        || paddedTokens > PaddingSlack * (tokens + length) + SmallRows * rows))
                {
                    break;
                }

                widest = Math.Max(widest, width);
                longest = Math.Max(longest, length);
                entries += width;
                tokens += length;
                end++;
            }

            batches.Add((start, end));
            start = end;
        }

        // Each sub-batch writes its own range of the results.
        var sorted = new float[features.Length];
        if (batches.Count == 1)
        {
            RunBatch(features, batches[0].Start, batches[0].End, sorted);
        }
        else
        {
            Parallel.ForEach(batches, BoundedParallelism.Options, batch => RunBatch(features, batch.Start, batch.End, sorted));
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

    private static int Width(CommentFeatures features) => Math.Max(features.Words.Indices.Length, features.Chars.Indices.Length);

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
