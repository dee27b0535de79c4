using ToxicFunctions.Training;

namespace ToxicFunctions.Tests.Training;

public sealed class ClassificationMetricsTests
{
    [Fact]
    public void Auc_counts_pairs_ordered_correctly_and_ties_as_half()
    {
        // Positives 0.9, 0.5; negatives 0.5, 0.3, 0.1. Pairs: (0.9 beats all 3) + (0.5 ties 0.5: 0.5, beats 0.3 and 0.1) = 5.5 of 6.
        double[] p = [0.9, 0.5, 0.5, 0.3, 0.1];
        byte[] y = [1, 1, 0, 0, 0];

        Assert.Equal(5.5 / 6, ClassificationMetrics.RocAuc(p, y), 12);
    }

    [Fact]
    public void Auc_is_one_for_a_perfect_ranking_zero_for_a_reversed_one_and_nan_for_one_class()
    {
        Assert.Equal(1.0, ClassificationMetrics.RocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]));
        Assert.Equal(0.0, ClassificationMetrics.RocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1]));
        Assert.True(double.IsNaN(ClassificationMetrics.RocAuc([0.1, 0.2], [1, 1])));
    }

    [Fact]
    public void Threshold_metrics_match_hand_counted_confusion()
    {
        // At 0.45: predicted toxic = 0.9 (tp), 0.45 (fp, exactly at the threshold), 0.6 (tp); 0.44 (fn); 0.2, 0.1 (tn).
        double[] p = [0.9, 0.45, 0.6, 0.44, 0.2, 0.1];
        byte[] y = [1, 0, 1, 1, 0, 0];

        var m = ClassificationMetrics.Compute(p, y, 0.45);

        Assert.Equal(6, m.Count);
        Assert.Equal(3, m.Positives);
        Assert.Equal(2.0 / 3, m.Precision, 12);
        Assert.Equal(2.0 / 3, m.Recall, 12);
        Assert.Equal(2.0 / 3, m.F1, 12);
        Assert.Equal(4.0 / 6, m.Accuracy, 12);
        Assert.Equal(8.0 / 9, m.Auc, 12); // positives 0.9, 0.6, 0.44 vs negatives 0.45, 0.2, 0.1: only 0.44 < 0.45
    }

    [Fact]
    public void Nothing_predicted_toxic_gives_zero_precision_and_f1()
    {
        var m = ClassificationMetrics.Compute([0.1, 0.2, 0.3], [1, 0, 0], 0.45);

        Assert.Equal(0, m.Precision);
        Assert.Equal(0, m.Recall);
        Assert.Equal(0, m.F1);
        Assert.Equal(2.0 / 3, m.Accuracy, 12);
    }
}
