using System.Diagnostics;
using ToxicFunctions.Tests.Infrastructure;
using ToxicFunctions.Tokenization;

namespace ToxicFunctions.Tests.Pipeline;

/// <summary>
/// The local host encodes staged comments in an encoder worker process of its own, at the lowest CPU priority, and the
/// worker goes away with the host.
/// </summary>
public sealed class EncoderWorkerTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Staged_comments_are_encoded_by_a_worker_process_that_ends_with_the_host()
    {
        var load = await StagingRows.AddLoadAsync(database);
        string[] texts = ["You are a complete idiot, get lost.", "Thanks for fixing the citation.", "The infobox dates were corrected."];
        for (var i = 0; i < texts.Length; i++)
        {
            await StagingRows.AddBatchAsync(database, load, i + 2, Guid.NewGuid(), texts[i], 0, WordPieceTokenizer.DistilBertBaseUncased.Encode(texts[i]));
        }

        int worker;
        await using (var host = await RunningLocalHost.StartAsync(new Dictionary<string, string?>
        {
            ["Postgres:ConnectionString"] = database.ConnectionString,
            ["Postgres:MigrateOnStartup"] = "false",
            ["LocalHost:BlobTrigger:Enabled"] = "false",
            ["LocalHost:EncodingTimer:OwnProcess"] = "true",
            ["Pipeline:EncodingSchedule"] = "* * * * * *",
        }))
        {
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (await database.ScalarAsync<long>("SELECT count(*) FROM ml.comment_encodings") < texts.Length)
            {
                Assert.True(DateTime.UtcNow < deadline, "the encoder worker did not encode the staged comments within 90 s");
                await Task.Delay(250);
            }

            worker = WorkerOf(Environment.ProcessId) ?? throw new InvalidOperationException("no encoder worker process runs beside the host");
            Assert.Equal("19", (await File.ReadAllTextAsync($"/proc/{worker}/stat")).Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[16]);
        }

        var stopped = DateTime.UtcNow.AddSeconds(10);
        while (File.Exists($"/proc/{worker}/stat") && !IsZombie(worker))
        {
            Assert.True(DateTime.UtcNow < stopped, "the encoder worker outlived its host");
            await Task.Delay(100);
        }
    }

    /// <summary>The encoder worker started by this process: its command line names the role and this parent.</summary>
    private static int? WorkerOf(int parent)
    {
        foreach (var process in Process.GetProcesses())
        {
            using (process)
            {
                try
                {
                    var commandLine = File.ReadAllText($"/proc/{process.Id}/cmdline").Replace('\0', ' ');
                    if (commandLine.Contains("--LocalHost:Role=encoder-worker", StringComparison.Ordinal)
                        && commandLine.Contains($"ParentProcessId={parent}", StringComparison.Ordinal))
                    {
                        return process.Id;
                    }
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }

        return null;
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].TrimStart().StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }
}
