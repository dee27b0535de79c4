using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using ToxicFunctions.Tokenization;

namespace ToxicFunctions.Training;

/// <summary>
/// Computes the encoder view's features (<see cref="EncoderGraph"/>) with ONNX Runtime, one run per comment (comments in
/// parallel, one thread each): a comment's features depend on its tokens alone, not on which other comments are encoded
/// with it, so features kept by one process equal those another computes. Batching comments instead would change the
/// last bits with the batch (ONNX Runtime's kernels block by matrix shape), pay for padding, and measured slower here
/// (13.7 s against 15.7 s for 4,000 sample comments on 2 cores). Thread-safe.
/// </summary>
public sealed class CommentEncoder : IDisposable
{
    private readonly InferenceSession _session;
    private readonly int _threads;

    /// <summary>
    /// Builds the encoder with <paramref name="layers"/> transformer layers over at most <paramref name="maxTokens"/> tokens,
    /// encoding on at most <paramref name="threads"/> threads at once (-1: as many as the thread pool gives).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxTokens"/> is outside 3..512, or <paramref name="threads"/> is 0 or below -1.</exception>
    public CommentEncoder(int layers, int maxTokens, int threads = -1)
    {
        if (threads is 0 or < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "At least 1 thread, or -1 for no limit.");
        }

        _threads = threads;
        if (maxTokens is < 3 or > WordPieceTokenizer.MaxTokens)
        {
            throw new ArgumentOutOfRangeException(nameof(maxTokens), maxTokens, $"Between 3 and {WordPieceTokenizer.MaxTokens} tokens.");
        }

        MaxTokens = maxTokens;
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = 1 };
        _session = new InferenceSession(EncoderGraph.BuildStandalone(layers), options);
    }

    /// <summary>The longest input including [CLS] and [SEP]; longer comments are cut.</summary>
    public int MaxTokens { get; }

    /// <summary>The pooled features of each comment's content token ids (without [CLS] and [SEP]), in order.</summary>
    public float[][] Encode(IReadOnlyList<int[]> tokenIds, CancellationToken cancellationToken = default) => Encode(tokenIds, null, cancellationToken);

    /// <summary>The pooled features of each comment's content token ids, in order, telling <paramref name="encoded"/> how many are done.</summary>
    /// <param name="tokenIds">The comments' token ids (without [CLS] and [SEP]).</param>
    /// <param name="encoded">Told the number of comments encoded so far after each one (a comment takes milliseconds, so per comment is cheap).</param>
    /// <param name="cancellationToken">Cancels encoding.</param>
    public float[][] Encode(IReadOnlyList<int[]> tokenIds, IProgress<int>? encoded, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenIds);
        var result = new float[tokenIds.Count][];
        var done = 0;
        Parallel.For(0, tokenIds.Count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = _threads }, i =>
        {
            result[i] = EncodeOne(tokenIds[i]);
            encoded?.Report(Interlocked.Increment(ref done));
        });
        return result;
    }

    /// <summary>
    /// The comments with their <see cref="CommentFeatures.Encoding"/> set: those that already carry one keep it, the
    /// others are encoded, in order.
    /// </summary>
    public CommentFeatures[] WithEncodings(IReadOnlyList<CommentFeatures> features, CancellationToken cancellationToken = default) =>
        WithEncodings(features, null, cancellationToken);

    /// <summary>As <see cref="WithEncodings(IReadOnlyList{CommentFeatures}, CancellationToken)"/>, telling <paramref name="encoded"/> how many of the missing are done.</summary>
    /// <param name="features">The comments.</param>
    /// <param name="encoded">Told the number of comments encoded so far (of those without features).</param>
    /// <param name="cancellationToken">Cancels encoding.</param>
    public CommentFeatures[] WithEncodings(IReadOnlyList<CommentFeatures> features, IProgress<int>? encoded, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        var missing = Enumerable.Range(0, features.Count).Where(i => features[i].Encoding is null).ToArray();
        var computed = Encode(missing.Select(i => features[i].TokenIds).ToArray(), encoded, cancellationToken);
        var result = features.ToArray();
        for (var k = 0; k < missing.Length; k++)
        {
            result[missing[k]] = result[missing[k]] with { Encoding = computed[k] };
        }

        return result;
    }

    /// <summary>Writes the model input of one comment: [CLS], its first ids, [SEP]; returns the length used.</summary>
    public static int Input(ReadOnlySpan<int> contentIds, int maxTokens, Span<long> destination)
    {
        var content = Math.Min(contentIds.Length, maxTokens - 2);
        destination[0] = WordPieceTokenizer.ClsId;
        for (var t = 0; t < content; t++)
        {
            destination[t + 1] = contentIds[t];
        }

        destination[content + 1] = WordPieceTokenizer.SepId;
        return content + 2;
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();

    private float[] EncodeOne(int[] contentIds)
    {
        var input = new long[Math.Min(contentIds.Length, MaxTokens - 2) + 2];
        Input(contentIds, MaxTokens, input);
        var mask = new long[input.Length];
        Array.Fill(mask, 1L);
        using var outputs = _session.Run(
            [
                NamedOnnxValue.CreateFromTensor(EncoderGraph.IdsInput, new DenseTensor<long>(input, [1, input.Length])),
                NamedOnnxValue.CreateFromTensor(EncoderGraph.MaskInput, new DenseTensor<long>(mask, [1, mask.Length])),
            ],
            [EncoderGraph.FeaturesOutput]);
        return ((DenseTensor<float>)outputs[0].AsTensor<float>()).Buffer.ToArray();
    }
}
