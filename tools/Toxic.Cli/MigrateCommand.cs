using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ToxicFunctions.Database;

namespace ToxicFunctions.Cli;

/// <summary><c>toxic migrate</c>: creates the database if needed and applies pending schema migrations.</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Create the database if needed and apply pending schema migrations.");
        command.SetAction(async (_, cancellationToken) =>
        {
            await CliServices.Build().GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            Console.WriteLine("database is up to date");
            return 0;
        });
        return command;
    }
}
