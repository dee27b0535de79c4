using ToxicFunctions.Pipeline;

namespace ToxicFunctions.Scoring;

/// <summary>What <c>GET /api/health</c> reports: the model served and whether scoring is ready.</summary>
/// <param name="Model">The model's name; null while there is none.</param>
/// <param name="Version">Its registered version; null for a directory or while there is none.</param>
/// <param name="Ready">Whether a scoring request would be answered now.</param>
/// <param name="Reason">Why not, when not ready.</param>
public sealed record ScoringHealth(string? Model, int? Version, bool Ready, string? Reason)
{
    /// <summary>Asks <paramref name="source"/> for the model it serves now (loading it if it must).</summary>
    public static async Task<ScoringHealth> CheckAsync(ModelSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        try
        {
            using var lease = await source.AcquireAsync(cancellationToken);
            return lease is null
                ? new ScoringHealth(null, null, false, "No champion model is registered yet; run the training pipeline (POST /api/pipelines/training).")
                : new ScoringHealth(lease.Model.Name, lease.Model.Version, true, null);
        }
        catch (ChampionUnavailableException e)
        {
            return new ScoringHealth(null, null, false, e.Message);
        }
    }
}
