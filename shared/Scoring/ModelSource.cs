namespace ToxicFunctions.Scoring;

/// <summary>
/// Where the model to serve comes from: the registry's champion (<see cref="Pipeline.ChampionScorer"/>) or a model
/// directory (<see cref="DirectoryModelSource"/>).
/// </summary>
public abstract class ModelSource
{
    /// <summary>The model to serve now, leased for one batch; null while there is none.</summary>
    /// <exception cref="Pipeline.ChampionUnavailableException">The model to serve cannot be loaded.</exception>
    public abstract ValueTask<ModelLease?> AcquireAsync(CancellationToken cancellationToken);
}
