using Microsoft.Extensions.DependencyInjection;

namespace ToxicFunctions.Training;

/// <summary>Registers the model's services (issue 5): training into a model directory.</summary>
public static class TrainingServiceCollectionExtensions
{
    /// <summary>Adds <see cref="ModelTrainingService"/>; it needs the WordPiece tokenizer registered beside it.</summary>
    public static IServiceCollection AddToxicTraining(this IServiceCollection services)
    {
        services.AddSingleton<ModelTrainingService>();
        return services;
    }
}
