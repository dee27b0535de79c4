using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ToxicFunctions.Database;
using ToxicFunctions.Transform;

namespace ToxicFunctions.Cli;

/// <summary><c>toxic transform</c>: runs the production transform (staging -> production.comments) once and prints what each model did.</summary>
internal static class TransformCommand
{
    public static Command Create()
    {
        var command = new Command("transform", "Run the production transform (staging -> production.comments): models, contract, tests, post-steps.");
        command.SetAction(async (_, cancellationToken) =>
        {
            var services = CliServices.Build();
            await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            try
            {
                var result = await services.GetRequiredService<TransformService>().RunAsync(cancellationToken);
                foreach (var model in result.Models)
                {
                    Console.WriteLine($"{model.Name,-20} rows={model.Rows,-10} ms={model.Milliseconds:F0}");
                }

                Console.WriteLine($"transform run={result.RunId} rows_in_production={result.RowsInProduction} tests_passed={result.Tests.Count(t => t.Passed)}/{result.Tests.Count}");
                return 0;
            }
            catch (TransformGateException e)
            {
                await Console.Error.WriteLineAsync($"toxic transform: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
