namespace ToxicFunctions.Training;

/// <summary>
/// The scoring strategy of a cascade directory (<see cref="CascadeBand"/>): the fast model's graph runs on every
/// comment, the encoder model's graph only on the comments whose fast probability lies in the band (each comment alone,
/// see <see cref="OnnxModelRunner.PerComment"/>, int8 weights with <see cref="CascadeBand.QuantizedEncoder"/>: the cheaper
/// encoder pass); both read the same featurized comments
/// (featurized once). Thread-safe; owns both runners.
/// </summary>
public sealed class CascadeScorer : IDisposable
{
    private readonly OnnxModelRunner _fast;
    private readonly OnnxModelRunner _encoder;
    private long _scored;
    private long _routed;

    /// <summary>Scores with <paramref name="fast"/> and, inside <paramref name="band"/>, <paramref name="encoder"/> (both owned from now on).</summary>
    public CascadeScorer(CascadeBand band, OnnxModelRunner fast, OnnxModelRunner encoder)
    {
        ArgumentNullException.ThrowIfNull(band);
        ArgumentNullException.ThrowIfNull(fast);
        ArgumentNullException.ThrowIfNull(encoder);
        Band = band;
        _fast = fast;
        _encoder = encoder;
    }

    /// <summary>The band of fast probabilities routed to the encoder model.</summary>
    public CascadeBand Band { get; }

    /// <summary>Comments scored so far.</summary>
    public long Scored => Interlocked.Read(ref _scored);

    /// <summary>Comments routed to the encoder model so far.</summary>
    public long Routed => Interlocked.Read(ref _routed);

    /// <summary>The cascade's probability of each comment, in order.</summary>
    public float[] Run(IReadOnlyList<CommentFeatures> features) => RunDetailed(features).Probabilities;

    /// <summary>The cascade's probabilities, the fast model's, and which comments were routed to the encoder model.</summary>
    public CascadeScores RunDetailed(IReadOnlyList<CommentFeatures> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var fast = _fast.Run(features);
        var routed = new bool[fast.Length];
        var indices = new List<int>();
        for (var i = 0; i < fast.Length; i++)
        {
            if (Band.Routes(fast[i]))
            {
                routed[i] = true;
                indices.Add(i);
            }
        }

        var probabilities = (float[])fast.Clone();
        if (indices.Count > 0)
        {
            var encoder = _encoder.Run(indices.Select(i => features[i]).ToArray());
            for (var k = 0; k < indices.Count; k++)
            {
                probabilities[indices[k]] = encoder[k];
            }
        }

        Interlocked.Add(ref _scored, fast.Length);
        Interlocked.Add(ref _routed, indices.Count);
        return new CascadeScores(probabilities, fast, routed);
    }

    /// <summary>The fast model's probability of each comment, in order.</summary>
    public float[] RunFast(IReadOnlyList<CommentFeatures> features) => _fast.Run(features);

    /// <inheritdoc />
    public void Dispose()
    {
        _fast.Dispose();
        _encoder.Dispose();
    }
}
