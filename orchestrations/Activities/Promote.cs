using Microsoft.Azure.Functions.Worker;
using ToxicFunctions.Pipeline;

namespace ToxicFunctions.Orchestrations.Activities;

/// <summary>
/// Durable activity <c>Promote</c>: applies <see cref="PromotionPolicy"/>; the version becomes champion when it beats the
/// champion on the same test split, else challenger. The decision holds only for the champion it was compared with: if
/// another run or an operator changed the champion since <see cref="Evaluate"/>, the version is not compared with the
/// new one and becomes challenger.
/// </summary>
public sealed class Promote(ModelRegistry registry)
{
    /// <summary>Sets the alias.</summary>
    [Function(PipelineActivities.Promote)]
    public async Task<PromotionDecision> RunAsync([ActivityTrigger] PromoteRequest request, CancellationToken cancellationToken)
    {
        var (promote, reason) = PromotionPolicy.Decide(request.TestAuc, request.ChampionAuc, request.ChampionProblem);
        if (promote)
        {
            var (applied, current) = await registry.SetAliasIfAsync(
                request.ModelName, ModelAliases.Champion, request.Version, request.ChampionVersion, reason, cancellationToken);
            if (applied)
            {
                return new PromotionDecision(true, ModelAliases.Champion, reason);
            }

            var compared = request.ChampionVersion is { } v ? $"version {v}" : "no champion";
            var now = current is { } c ? $"version {c}" : "none";
            reason = $"the champion changed from {compared} to {now} after the evaluation; not compared with it, so not promoted";
        }

        await registry.SetAliasAsync(request.ModelName, ModelAliases.Challenger, request.Version, reason, cancellationToken);
        return new PromotionDecision(false, ModelAliases.Challenger, reason);
    }
}
