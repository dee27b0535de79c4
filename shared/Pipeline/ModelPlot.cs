using ToxicFunctions.Training;

namespace ToxicFunctions.Pipeline;

/// <summary>The curves a model directory holds as images (<see cref="ModelArtifact.RocFile"/>, <see cref="ModelArtifact.PrecisionRecallFile"/>).</summary>
public enum ModelPlot
{
    /// <summary>The ROC curve, <c>roc.png</c>.</summary>
    Roc,

    /// <summary>The precision-recall curve, <c>pr.png</c>.</summary>
    PrecisionRecall,
}
