using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ToxicFunctions.Lake;

namespace ToxicFunctions.Cli;

/// <summary>
/// <c>toxic lake history|compact|vacuum [--table URI]</c>: maintenance of a Delta table, by default the raw zone's
/// (<c>Lake:TableUri</c>): list its versions, rewrite small files into larger ones (<see cref="DeltaCompaction"/>),
/// delete files no version within the retention references (<see cref="DeltaVacuum"/>).
/// </summary>
internal static class LakeCommand
{
    public static Command Create()
    {
        var command = new Command("lake", "Maintain a Delta table (default: the raw zone, Lake:TableUri): history, compact, vacuum.");
        command.Subcommands.Add(History());
        command.Subcommands.Add(Compact());
        command.Subcommands.Add(Vacuum());
        return command;
    }

    private static Option<string?> TableOption() =>
        new("--table") { Description = "the table: s3://bucket/path or https://account.blob.core.windows.net/container/path (default: Lake:TableUri)" };

    private static Command History()
    {
        var table = TableOption();
        var limit = new Option<int?>("--limit") { Description = "the newest N versions only" };
        var command = new Command("history", "List the table's versions, newest first: time, operation, files added and removed, rows added.") { table, limit };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(table), async (services, delta) =>
        {
            foreach (var v in await new DeltaHistory(delta).ListAsync(parse.GetValue(limit), cancellationToken))
            {
                var parameters = string.Join(' ', v.Parameters.Select(p => $"{p.Key}={p.Value}"));
                Console.WriteLine(
                    $"{v.Version}\t{v.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}\t{v.Operation}\t"
                    + $"files_added={v.FilesAdded} files_removed={v.FilesRemoved} rows_added={v.RowsAdded} bytes_added={v.BytesAdded}"
                    + (parameters.Length == 0 ? "" : $"\t{parameters}"));
            }

            return 0;
        }));
        return command;
    }

    private static Command Compact()
    {
        var table = TableOption();
        var target = new Option<long>("--target-mb")
        {
            Description = $"target file size in MiB (default {DeltaCompaction.DefaultTargetFileBytes >> 20}); files this large are left alone",
            DefaultValueFactory = _ => DeltaCompaction.DefaultTargetFileBytes >> 20,
        };
        var command = new Command("compact", "Rewrite the table's small files into files of about the target size (Delta's OPTIMIZE: one commit of remove and add actions).") { table, target };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(table), async (services, delta) =>
        {
            var result = await new DeltaCompaction(delta, TimeProvider.System).CompactAsync(parse.GetValue(target) << 20, cancellationToken);
            Console.WriteLine(result.Version is { } version
                ? $"{delta.Uri}: version={version} files_removed={result.FilesRemoved} files_added={result.FilesAdded} rows={result.Rows} bytes_removed={result.BytesRemoved} bytes_added={result.BytesAdded}"
                : $"{delta.Uri}: nothing to compact (no two files under the target size)");
            return 0;
        }));
        return command;
    }

    private static Command Vacuum()
    {
        var table = TableOption();
        var retain = new Option<double>("--retain")
        {
            Description = $"hours: files that a version committed within this time still references are kept (default {DeltaVacuum.DefaultRetentionHours})",
            DefaultValueFactory = _ => DeltaVacuum.DefaultRetentionHours,
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "list what would be deleted; delete nothing" };
        var command = new Command("vacuum", "Delete the table's data files that no version within the retention references.") { table, retain, dryRun };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(table), async (services, delta) =>
        {
            var hours = parse.GetValue(retain);
            if (hours < 0 || double.IsNaN(hours))
            {
                await Console.Error.WriteLineAsync($"--retain must be a number of hours >= 0, not {hours.ToString(CultureInfo.InvariantCulture)}.");
                return 1;
            }

            if (hours < DeltaVacuum.DefaultRetentionHours)
            {
                await Console.Error.WriteLineAsync(
                    $"warning: a retention under {DeltaVacuum.DefaultRetentionHours} hours deletes files that readers of versions older than {hours.ToString(CultureInfo.InvariantCulture)} hours still need.");
            }

            var result = await new DeltaVacuum(delta, TimeProvider.System).VacuumAsync(TimeSpan.FromHours(hours), parse.GetValue(dryRun), cancellationToken);
            foreach (var key in result.Deleted)
            {
                Console.WriteLine($"{(result.DryRun ? "would delete" : "deleted")}\t{delta.Store.Uri(key)}");
            }

            Console.WriteLine($"{delta.Uri}: {(result.DryRun ? "would delete" : "deleted")} files={result.Deleted.Count} bytes={result.BytesDeleted} kept={result.FilesKept}");
            return 0;
        }));
        return command;
    }

    private static async Task<int> RunAsync(string? tableUri, Func<IServiceProvider, DeltaTable, Task<int>> action)
    {
        var services = CliServices.Build();
        var uri = tableUri ?? services.GetRequiredService<IOptions<LakeOptions>>().Value.TableUri;
        if (string.IsNullOrEmpty(uri))
        {
            await Console.Error.WriteLineAsync("No table: give --table or set Lake__TableUri.");
            return 1;
        }

        try
        {
            return await action(services, services.GetRequiredService<LakeStores>().Open(uri));
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException or InvalidOperationException or FormatException or FileNotFoundException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }
}
