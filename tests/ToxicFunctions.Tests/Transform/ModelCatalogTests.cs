using ToxicFunctions.Transform;

namespace ToxicFunctions.Tests.Transform;

/// <summary>The transform's SQL files and their dependency order.</summary>
public sealed class ModelCatalogTests
{
    [Fact]
    public void Embedded_models_run_after_their_dependencies()
    {
        var models = ModelCatalog.Embedded.Models;

        Assert.Equal(
            ["pending_loads", "batch_comments", "transformed_loads", "stream_changes", "stream_deletes", "stream_updates", "stream_inserts"],
            models.Select(m => m.Name));
        for (var i = 0; i < models.Count; i++)
        {
            Assert.All(models[i].DependsOn, d => Assert.Contains(d, models.Take(i).Select(m => m.Name)));
        }

        Assert.Equal(["indexes", "analyze"], ModelCatalog.Embedded.PostSteps.Select(m => m.Name));
    }

    [Fact]
    public void Declared_dependencies_win_over_file_names()
    {
        var ordered = ModelCatalog.Order(
        [
            ModelCatalog.Parse("10_a.sql", "-- depends_on: c\nSELECT 1"),
            ModelCatalog.Parse("20_b.sql", "SELECT 1"),
            ModelCatalog.Parse("30_c.sql", "-- depends_on: b\nSELECT 1"),
        ]);

        Assert.Equal(["b", "c", "a"], ordered.Select(m => m.Name));
    }

    [Fact]
    public void Cycles_and_unknown_dependencies_are_refused()
    {
        Assert.Throws<InvalidOperationException>(() => ModelCatalog.Order(
            [ModelCatalog.Parse("10_a.sql", "-- depends_on: b"), ModelCatalog.Parse("20_b.sql", "-- depends_on: a")]));
        Assert.Throws<InvalidOperationException>(() => ModelCatalog.Order([ModelCatalog.Parse("10_a.sql", "-- depends_on: nowhere")]));
    }
}
