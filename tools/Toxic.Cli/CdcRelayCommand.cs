using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ToxicFunctions.Database;
using ToxicFunctions.Streaming;

namespace ToxicFunctions.Cli;

/// <summary><c>toxic cdc-relay</c>: runs the change-data-capture relay (source.comments -> Kafka) until Ctrl+C.</summary>
internal static class CdcRelayCommand
{
    public static Command Create()
    {
        var command = new Command("cdc-relay", "Stream source.comments changes to Kafka in Debezium format (settings Cdc:*, Kafka:*) until stopped.");
        command.SetAction(async (_, cancellationToken) =>
        {
            var services = CliServices.Build();
            await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            Console.Error.WriteLine("cdc-relay: running; Ctrl+C stops it (it resumes from its slot when started again)");
            try
            {
                await services.GetRequiredService<CdcRelay>().RunAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }

            return 0;
        });
        return command;
    }
}
