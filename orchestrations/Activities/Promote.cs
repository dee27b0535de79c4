using Microsoft.Azure.Functions.Worker;
using ToxicFunctions.Pipeline;

namespace ToxicFunctions.Orchestrations.Activities;

/// <summary>
/// Durable activity <c>Promote</c>: applies <see cref="PromotionPolicy"/>; the version becomes champion when it beats the
/// champion on the same test split, else challenger.
/// </summary>
public sealed class Promote(ModelRegistry registry)
{
    /// <summary>Sets the alias.</summary>
    [Function(nameof(Promote))]
    public async Task<PromotionDecision> RunAsync([ActivityTrigger] PromoteRequest request, CancellationToken cancellationToken)
    {
        var (promote, reason) = PromotionPolicy.Decide(request.TestAuc, request.ChampionAuc, request.ChampionProblem);
        var alias = promote ? ModelAliases.Champion : ModelAliases.Challenger;
        await registry.SetAliasAsync(request.ModelName, alias, request.Version, reason, cancellationToken);
        return new PromotionDecision(promote, alias, reason);
    }
}
