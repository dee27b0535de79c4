using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ToxicFunctions.Database;
using ToxicFunctions.Streaming;

namespace ToxicFunctions.Cli;

/// <summary>
/// <c>toxic cdc-relay</c>: runs the change-data-capture relay (source.comments -> Kafka) until Ctrl+C; with
/// <c>--resnapshot</c>, drops the relay's slot instead, so that its next start takes a repair snapshot.
/// </summary>
internal static class CdcRelayCommand
{
    public static Command Create()
    {
        var resnapshot = new Option<bool>("--resnapshot")
        {
            Description = "Drop the relay's slot and snapshot record and exit: its next start takes a new snapshot that begins with a "
                + "truncate event per table, so consumers that lost events (e.g. to retention) drop deleted rows. Stop the relay first.",
        };
        var command = new Command("cdc-relay", "Stream source.comments changes to Kafka in Debezium format (settings Cdc:*, Kafka:*) until stopped.")
        {
            resnapshot,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var services = CliServices.Build();
            await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            var relay = services.GetRequiredService<CdcRelay>();
            if (parse.GetValue(resnapshot))
            {
                return await ResnapshotAsync(relay, services.GetRequiredService<IOptions<CdcOptions>>().Value.SlotName, cancellationToken);
            }

            Console.Error.WriteLine("cdc-relay: running; Ctrl+C stops it (it resumes from its slot when started again)");
            try
            {
                await relay.RunAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }

            return 0;
        });
        return command;
    }

    private static async Task<int> ResnapshotAsync(CdcRelay relay, string slot, CancellationToken cancellationToken)
    {
        try
        {
            var dropped = await relay.ResnapshotAsync(cancellationToken);
            Console.WriteLine(
                $"cdc-relay: {(dropped ? $"slot {slot} dropped" : $"no slot {slot}")}; its next start takes a new snapshot, truncate events first");
            return 0;
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync($"toxic cdc-relay: {e.Message}");
            return 1;
        }
    }
}
