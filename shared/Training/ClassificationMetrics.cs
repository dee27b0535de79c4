namespace ToxicFunctions.Training;

/// <summary>How well probabilities separate the classes: ROC AUC, and the confusion counts at a threshold.</summary>
public sealed record ClassificationMetrics
{
    /// <summary>Comments evaluated.</summary>
    public int Count { get; init; }

    /// <summary>Toxic comments among them.</summary>
    public int Positives { get; init; }

    /// <summary>The probability at or above which a comment is labelled toxic.</summary>
    public double Threshold { get; init; }

    /// <summary>Area under the ROC curve (ties count half).</summary>
    public double Auc { get; init; }

    /// <summary>F1 at <see cref="Threshold"/>.</summary>
    public double F1 { get; init; }

    /// <summary>Precision at <see cref="Threshold"/> (0 when nothing is labelled toxic).</summary>
    public double Precision { get; init; }

    /// <summary>Recall at <see cref="Threshold"/>.</summary>
    public double Recall { get; init; }

    /// <summary>Accuracy at <see cref="Threshold"/>.</summary>
    public double Accuracy { get; init; }

    /// <summary>Computes the metrics of <paramref name="probabilities"/> against 0/1 <paramref name="labels"/>.</summary>
    public static ClassificationMetrics Compute(IReadOnlyList<double> probabilities, IReadOnlyList<byte> labels, double threshold)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(labels);
        if (probabilities.Count != labels.Count || labels.Count == 0)
        {
            throw new ArgumentException("Metrics need one label per probability, and at least one.", nameof(labels));
        }

        int tp = 0, fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var predicted = probabilities[i] >= threshold;
            var actual = labels[i] == 1;
            if (predicted && actual)
            {
                tp++;
            }
            else if (predicted)
            {
                fp++;
            }
            else if (actual)
            {
                fn++;
            }
            else
            {
                tn++;
            }
        }

        var precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
        var recall = tp + fn == 0 ? 0 : (double)tp / (tp + fn);
        return new ClassificationMetrics
        {
            Count = labels.Count,
            Positives = tp + fn,
            Threshold = threshold,
            Auc = RocAuc(probabilities, labels),
            F1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall),
            Precision = precision,
            Recall = recall,
            Accuracy = (double)(tp + tn) / labels.Count,
        };
    }

    /// <summary>
    /// The Mann-Whitney form of ROC AUC: the chance that a random toxic comment outscores a random clean one, ties
    /// counting half. NaN when one class is absent.
    /// </summary>
    public static double RocAuc(IReadOnlyList<double> probabilities, IReadOnlyList<byte> labels)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(labels);
        var order = Enumerable.Range(0, labels.Count).OrderBy(i => probabilities[i]).ToArray();
        double positiveRankSum = 0;
        long positives = 0;
        var start = 0;
        while (start < order.Length)
        {
            var end = start;
            while (end + 1 < order.Length && probabilities[order[end + 1]] == probabilities[order[start]])
            {
                end++;
            }

            var averageRank = (start + end) / 2.0 + 1; // 1-based ranks, ties share their mean
            for (var k = start; k <= end; k++)
            {
                if (labels[order[k]] == 1)
                {
                    positiveRankSum += averageRank;
                    positives++;
                }
            }

            start = end + 1;
        }

        long negatives = labels.Count - positives;
        return positives == 0 || negatives == 0
            ? double.NaN
            : (positiveRankSum - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    }
}
