using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using ToxicFunctions.Tokenization;

namespace ToxicFunctions.Training;

/// <summary>
/// Computes the encoder view's features (<see cref="EncoderGraph"/>) with ONNX Runtime: comments are sorted by length
/// and batched by padded tokens, so the cost follows the real token count. Thread-safe. The result depends only on the
/// comments given (the same comments in the same order give the same bytes).
/// </summary>
public sealed class CommentEncoder : IDisposable
{
    private const int MaxPaddedTokens = 8192;

    private readonly InferenceSession _session;

    /// <summary>Builds the encoder with <paramref name="layers"/> transformer layers over at most <paramref name="maxTokens"/> tokens.</summary>
    public CommentEncoder(int layers, int maxTokens)
    {
        if (maxTokens is < 3 or > WordPieceTokenizer.MaxTokens)
        {
            throw new ArgumentOutOfRangeException(nameof(maxTokens), maxTokens, $"Between 3 and {WordPieceTokenizer.MaxTokens} tokens.");
        }

        MaxTokens = maxTokens;
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        _session = new InferenceSession(EncoderGraph.BuildStandalone(layers), options);
    }

    /// <summary>The longest input including [CLS] and [SEP]; longer comments are cut.</summary>
    public int MaxTokens { get; }

    /// <summary>The pooled features of each comment's content token ids (without [CLS] and [SEP]), in order.</summary>
    public float[][] Encode(IReadOnlyList<int[]> tokenIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenIds);
        var result = new float[tokenIds.Count][];
        var order = Enumerable.Range(0, tokenIds.Count).OrderBy(i => Length(tokenIds[i])).ThenBy(i => i).ToArray();
        var start = 0;
        while (start < order.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = start + 1;
            while (end < order.Length && (end - start + 1) * Length(tokenIds[order[end]]) <= MaxPaddedTokens)
            {
                end++;
            }

            RunBatch(tokenIds, order.AsSpan(start, end - start), result);
            start = end;
        }

        return result;
    }

    /// <summary>
    /// The comments with their <see cref="CommentFeatures.Encoding"/> set: those that already carry one keep it, the
    /// others are encoded (in one pass), in order.
    /// </summary>
    public CommentFeatures[] WithEncodings(IReadOnlyList<CommentFeatures> features, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        var missing = Enumerable.Range(0, features.Count).Where(i => features[i].Encoding is null).ToArray();
        var computed = Encode(missing.Select(i => features[i].TokenIds).ToArray(), cancellationToken);
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

    private int Length(int[] contentIds) => Math.Min(contentIds.Length, MaxTokens - 2) + 2;

    private void RunBatch(IReadOnlyList<int[]> tokenIds, ReadOnlySpan<int> rows, float[][] result)
    {
        var longest = Length(tokenIds[rows[^1]]);
        var ids = new DenseTensor<long>([rows.Length, longest]);
        var mask = new DenseTensor<long>([rows.Length, longest]);
        for (var r = 0; r < rows.Length; r++)
        {
            var length = Input(tokenIds[rows[r]], MaxTokens, ids.Buffer.Span.Slice(r * longest, longest));
            mask.Buffer.Span.Slice(r * longest, length).Fill(1);
        }

        using var outputs = _session.Run(
            [NamedOnnxValue.CreateFromTensor(EncoderGraph.IdsInput, ids), NamedOnnxValue.CreateFromTensor(EncoderGraph.MaskInput, mask)],
            [EncoderGraph.FeaturesOutput]);
        var features = ((DenseTensor<float>)outputs[0].AsTensor<float>()).Buffer.Span;
        for (var r = 0; r < rows.Length; r++)
        {
            result[rows[r]] = features.Slice(r * EncoderGraph.Dimension, EncoderGraph.Dimension).ToArray();
        }
    }
}
