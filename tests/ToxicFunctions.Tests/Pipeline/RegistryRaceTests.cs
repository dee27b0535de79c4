using Npgsql;
using ToxicFunctions.Orchestrations.Activities;
using ToxicFunctions.Pipeline;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Pipeline;

/// <summary>
/// Runs, promotions and rollbacks that overlap, against the real PostgreSQL: a promotion decided against one champion
/// never replaces another, and a run that starts a new experiment next to another one is recorded.
/// </summary>
public sealed class RegistryRaceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_promotion_decided_against_a_champion_that_has_since_changed_makes_a_challenger()
    {
        const string Model = "stale-decision";
        var registry = database.Get<ModelRegistry>();
        await RegisterVersionsAsync(Model, 3);
        await registry.SetAliasAsync(Model, ModelAliases.Champion, 1, "first", CancellationToken.None);
        var promote = new Promote(registry);

        // Runs A (version 2) and B (version 3) were both evaluated against champion 1; A promotes first.
        var a = await promote.RunAsync(new PromoteRequest(Model, 2, 0.90, 1, 0.80), CancellationToken.None);
        var b = await promote.RunAsync(new PromoteRequest(Model, 3, 0.85, 1, 0.80), CancellationToken.None);

        Assert.True(a.Promoted);
        Assert.False(b.Promoted);
        Assert.Equal(ModelAliases.Challenger, b.Alias);
        Assert.Contains("changed from version 1 to version 2", b.Reason, StringComparison.Ordinal);
        Assert.Equal(2, (await registry.GetAliasAsync(Model, ModelAliases.Champion, CancellationToken.None))!.Version);
        Assert.Equal(3, (await registry.GetAliasAsync(Model, ModelAliases.Challenger, CancellationToken.None))!.Version);

        // A retried promotion of A finds its own work done: still promoted, no second history entry.
        var retried = await promote.RunAsync(new PromoteRequest(Model, 2, 0.90, 1, 0.80), CancellationToken.None);
        Assert.True(retried.Promoted);
        Assert.Equal(2L, await ChampionChangesAsync(Model));
    }

    [Fact]
    public async Task Concurrent_promotions_against_the_same_champion_promote_exactly_one()
    {
        const string Model = "concurrent-promotions";
        var registry = database.Get<ModelRegistry>();
        await RegisterVersionsAsync(Model, 9);
        var promote = new Promote(registry);

        // Eight runs evaluated while there was no champion yet, promoting at once.
        var decisions = await Task.WhenAll(Enumerable.Range(2, 8).Select(v =>
            Task.Run(() => promote.RunAsync(new PromoteRequest(Model, v, 0.9, null, null), CancellationToken.None))));

        var promoted = Assert.Single(decisions, d => d.Promoted);
        Assert.Equal(1L, await ChampionChangesAsync(Model));
        Assert.All(decisions.Where(d => !d.Promoted), d => Assert.Contains("after the evaluation", d.Reason, StringComparison.Ordinal));
        Assert.Equal(ModelAliases.Champion, promoted.Alias);
    }

    [Fact]
    public async Task A_run_starting_a_new_experiment_while_another_run_creates_it_is_recorded()
    {
        var tracker = database.Get<ExperimentTracker>();
        await RegistryRows.AddSnapshotAsync(database);
        var experiment = $"experiment-{Guid.NewGuid():N}";

        // Another run's transaction has created the experiment but not committed yet.
        await using var other = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await using (var create = new NpgsqlCommand("INSERT INTO ml.experiments (name) VALUES ($1)", other, transaction))
        {
            create.Parameters.Add(new NpgsqlParameter<string> { TypedValue = experiment });
            await create.ExecuteNonQueryAsync();
        }

        var runId = Guid.NewGuid();
        var start = tracker.StartRunAsync(RegistryRows.NewRun(runId, experiment), CancellationToken.None);
        await Task.Delay(200); // the start now waits on the uncommitted experiment row
        await transaction.CommitAsync();
        await start;

        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM ml.runs WHERE run_id = @id", ("id", runId)));
    }

    private async Task RegisterVersionsAsync(string model, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await RegistryRows.RegisterAsync(database.Services, database, model, $"s3://models/{model}/{i + 1}/");
        }
    }

    private Task<long> ChampionChangesAsync(string model) =>
        database.ScalarAsync<long>("SELECT count(*) FROM ml.alias_history WHERE model_name = @m AND alias = 'champion'", ("m", model));
}
