namespace ToxicFunctions.Training;

/// <summary>
/// The cascade section of a model directory's metadata: the fast model (<see cref="File"/>: the lexical and embedding
/// views, no encoder) scores every comment; those whose fast probability lies in [<see cref="Low"/>, <see cref="High"/>]
/// are routed to the encoder model (<c>model.onnx</c>) and get its probability, the others keep the fast one. The band
/// is chosen on the training split only, from out-of-fold probabilities (<see cref="Choose"/>).
/// </summary>
public sealed record CascadeBand
{
    /// <summary>The fast model's graph in the model directory.</summary>
    public string File { get; init; } = ModelArtifact.FastModelFile;

    /// <summary>SHA-256 of <see cref="File"/>.</summary>
    public string FastModelSha256 { get; init; } = "";

    /// <summary>The lowest fast probability routed to the encoder model.</summary>
    public double Low { get; init; }

    /// <summary>The highest fast probability routed to the encoder model.</summary>
    public double High { get; init; }

    /// <summary>
    /// Whether the routed comments run through the encoder model's graph with int8 weights (<see cref="EncoderQuantizer"/>,
    /// quantized when the directory is loaded): the cheaper encoder pass. Otherwise the float graph, as trained.
    /// </summary>
    public bool QuantizedEncoder { get; init; }

    /// <summary>The most out-of-fold AUC the cascade was allowed to lose against the encoder model alone.</summary>
    public double AucBudget { get; init; }

    /// <summary>Folds of the training split that gave the out-of-fold probabilities.</summary>
    public int Folds { get; init; }

    /// <summary>Share of the training comments routed (out of fold).</summary>
    public double RoutedFraction { get; init; }

    /// <summary>Out-of-fold AUC of the fast model alone on the training split.</summary>
    public double FastAuc { get; init; }

    /// <summary>Out-of-fold AUC of the encoder model alone on the training split.</summary>
    public double EncoderAuc { get; init; }

    /// <summary>Out-of-fold AUC of the cascade on the training split.</summary>
    public double CascadeAuc { get; init; }

    /// <summary>Whether a comment with fast probability <paramref name="fastProbability"/> goes to the encoder model.</summary>
    public bool Routes(double fastProbability) => fastProbability >= Low && fastProbability <= High;

    /// <summary>The cascade's probabilities: the encoder's where routed, else the fast model's.</summary>
    public double[] Combine(IReadOnlyList<double> fast, IReadOnlyList<double> encoder)
    {
        ArgumentNullException.ThrowIfNull(fast);
        ArgumentNullException.ThrowIfNull(encoder);
        var combined = new double[fast.Count];
        for (var i = 0; i < combined.Length; i++)
        {
            combined[i] = Routes(fast[i]) ? encoder[i] : fast[i];
        }

        return combined;
    }

    /// <summary>
    /// The narrowest band of fast probabilities (fewest comments routed, on a grid of <paramref name="steps"/> quantiles
    /// of <paramref name="fast"/>) whose cascade AUC is at most <paramref name="aucBudget"/> below the encoder model's on
    /// these comments; among equally narrow bands the one losing least. Deterministic.
    /// </summary>
    /// <param name="fast">The fast model's (out-of-fold) probabilities.</param>
    /// <param name="encoder">The encoder model's (out-of-fold) probabilities of the same comments.</param>
    /// <param name="labels">Their 0/1 labels, both classes present.</param>
    /// <param name="aucBudget">The AUC the cascade may lose.</param>
    /// <param name="steps">Grid resolution: band edges at multiples of 1/steps of the comments.</param>
    public static CascadeBand Choose(IReadOnlyList<double> fast, IReadOnlyList<double> encoder, IReadOnlyList<byte> labels, double aucBudget, int steps = 100)
    {
        ArgumentNullException.ThrowIfNull(fast);
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegative(aucBudget);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        if (fast.Count != labels.Count || encoder.Count != labels.Count || labels.Count < 2)
        {
            throw new ArgumentException("One fast and one encoder probability per label are needed.", nameof(labels));
        }

        var n = labels.Count;
        var sorted = fast.Order().ToArray();
        var fastAuc = ClassificationMetrics.RocAuc(fast, labels);
        var encoderAuc = ClassificationMetrics.RocAuc(encoder, labels);
        if (double.IsNaN(encoderAuc))
        {
            throw new ArgumentException("Both classes are needed to choose a band.", nameof(labels));
        }

        // Band edges as values: quantile position k of the sorted fast probabilities; the outermost edges are open.
        double Edge(int k, bool lower) => lower
            ? (k == 0 ? double.NegativeInfinity : sorted[(int)((long)k * n / steps)])
            : (k == steps ? double.PositiveInfinity : sorted[(int)((long)k * n / steps)]);

        var combined = new double[n];
        for (var width = 0; width <= steps; width++)
        {
            CascadeBand? best = null;
            var bestLoss = double.PositiveInfinity;
            for (var start = 0; start + width <= steps; start++)
            {
                // Routed: fast probability in [low, high) of the quantile grid, written as a closed band of values.
                var low = Edge(start, lower: true);
                var upper = Edge(start + width, lower: false);
                var band = new CascadeBand { Low = low, High = width == 0 ? double.NegativeInfinity : PreviousValue(sorted, upper) };
                var routed = 0;
                for (var i = 0; i < n; i++)
                {
                    var route = band.Routes(fast[i]);
                    routed += route ? 1 : 0;
                    combined[i] = route ? encoder[i] : fast[i];
                }

                var loss = encoderAuc - ClassificationMetrics.RocAuc(combined, labels);
                if (loss <= aucBudget && loss < bestLoss)
                {
                    bestLoss = loss;
                    best = band with
                    {
                        AucBudget = aucBudget,
                        RoutedFraction = (double)routed / n,
                        FastAuc = fastAuc,
                        EncoderAuc = encoderAuc,
                        CascadeAuc = encoderAuc - loss,
                    };
                }

                if (width == 0)
                {
                    break; // the empty band is one band, wherever it starts
                }
            }

            if (best is not null)
            {
                return Finite(best);
            }
        }

        throw new InvalidOperationException("Routing every comment loses no AUC, so some band always qualifies.");
    }

    // The largest value of the sorted probabilities below upper (upper itself when it is open).
    private static double PreviousValue(double[] sorted, double upper)
    {
        if (double.IsPositiveInfinity(upper))
        {
            return upper;
        }

        var index = Array.BinarySearch(sorted, upper);
        if (index < 0)
        {
            index = ~index;
        }

        while (index > 0 && sorted[index - 1] >= upper)
        {
            index--;
        }

        return index == 0 ? double.NegativeInfinity : sorted[index - 1];
    }

    // JSON has no infinities: open edges become the ends of the probability range.
    private static CascadeBand Finite(CascadeBand band) => band with
    {
        Low = double.IsNegativeInfinity(band.Low) ? 0 : band.Low,
        High = double.IsPositiveInfinity(band.High) ? 1 : double.IsNegativeInfinity(band.High) ? -1 : band.High,
    };
}
