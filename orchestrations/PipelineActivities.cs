namespace ToxicFunctions.Orchestrations;

/// <summary>
/// The names of the training pipeline's activity functions: the names of their <c>[Function]</c> attributes, the names
/// the orchestrator calls, and the stage names its custom status reports.
/// </summary>
public static class PipelineActivities
{
    /// <summary>Staging to production (<see cref="Activities.Transform"/>).</summary>
    public const string Transform = "Transform";

    /// <summary>The data-quality gate (<see cref="Activities.Validate"/>).</summary>
    public const string Validate = "Validate";

    /// <summary>The train/test snapshot (<see cref="Activities.ExtractSnapshot"/>).</summary>
    public const string ExtractSnapshot = "ExtractSnapshot";

    /// <summary>Training (<see cref="Activities.Train"/>).</summary>
    public const string Train = "Train";

    /// <summary>Evaluation on the test split (<see cref="Activities.Evaluate"/>).</summary>
    public const string Evaluate = "Evaluate";

    /// <summary>Registration of the model version (<see cref="Activities.Register"/>).</summary>
    public const string Register = "Register";

    /// <summary>The promotion decision (<see cref="Activities.Promote"/>).</summary>
    public const string Promote = "Promote";

    /// <summary>Records a run that trained but failed later (<see cref="Activities.FailRun"/>).</summary>
    public const string FailRun = "FailRun";
}
