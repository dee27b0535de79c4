using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ToxicFunctions.Functions.Pipelines;
using ToxicFunctions.LocalHost;
using ToxicFunctions.Orchestrations;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Functions;

/// <summary>The local host runs the timer functions on the schedules of their attributes, as the Functions host does.</summary>
public sealed class LocalHostTimerTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public void The_timer_functions_and_their_declared_schedules_are_read_from_the_attributes()
    {
        var timers = TimerFunction.Discover(typeof(ScheduledTrainingPipeline).Assembly);

        Assert.Equal(
            [(nameof(EncodeStagedComments), "%Pipeline:EncodingSchedule%"), (nameof(ScheduledTrainingPipeline), "%Pipeline:Schedule%")],
            timers.Select(t => (t.Name, t.Schedule)));
    }

    [Theory]
    [InlineData("0 0 2 * * *", "2026-11-30T12:00:00Z", "2026-12-01T02:00:00Z")]
    [InlineData("*/5 * * * * *", "2026-11-30T12:00:00Z", "2026-11-30T12:00:05Z")]
    [InlineData("30 9 * * 1-5", "2026-11-30T12:00:00Z", "2026-12-01T09:30:00Z")] // five fields: minutes first, as CRON
    [InlineData("00:00:10", "2026-11-30T12:00:00Z", "2026-11-30T12:00:10Z")] // a TimeSpan: that interval
    public void A_schedule_is_read_as_the_Functions_host_reads_it(string expression, string after, string next)
    {
        var schedule = TimerSchedule.Parse("%Test:Schedule%", Settings(("Test:Schedule", expression)));

        Assert.Equal(DateTime.Parse(next, null, System.Globalization.DateTimeStyles.AdjustToUniversal), schedule.GetNextOccurrence(DateTime.Parse(after, null, System.Globalization.DateTimeStyles.AdjustToUniversal)));
    }

    [Theory]
    [InlineData("%Missing:Setting%")]
    [InlineData("every five minutes")]
    [InlineData("* * *")]
    public void A_schedule_setting_that_is_missing_or_not_a_schedule_is_an_error_at_start(string declared)
    {
        var error = Assert.Throws<InvalidOperationException>(() => TimerSchedule.Parse(declared, Settings()));
        Assert.Contains(declared.Trim('%'), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_short_schedule_makes_ScheduledTrainingPipeline_start_pipeline_runs_locally()
    {
        var started = DateTimeOffset.UtcNow;
        await using var host = await RunningLocalHost.StartAsync(new Dictionary<string, string?>
        {
            ["Postgres:ConnectionString"] = database.ConnectionString,
            ["LocalHost:BlobTrigger:Enabled"] = "false",
            ["LocalHost:EncodingTimer:Enabled"] = "false",
            ["Pipeline:Schedule"] = "*/2 * * * * *",
            ["AzureWebJobs.ScheduledTrainingPipeline.Disabled"] = "false",
        });
        var client = host.Services.GetRequiredService<DurableTaskClient>();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<OrchestrationMetadata> runs = [];
        while (runs.Count < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{runs.Count} scheduled pipeline runs started within 30 s on a 2-second schedule");
            await Task.Delay(250);
            runs = await client.GetAllInstancesAsync(new OrchestrationQuery { CreatedFrom = started }).Where(i => i.Name == nameof(TrainingPipeline)).ToListAsync();
        }
    }

    [Fact]
    public void A_function_is_switched_off_by_its_app_setting_and_the_encoding_timer_leaves_the_host_for_the_encoder_worker()
    {
        var settings = Settings(("AzureWebJobs.ScheduledTrainingPipeline.Disabled", "true"), ("AzureWebJobs:EncodeStagedComments:Disabled", "false"));

        Assert.True(FunctionSwitches.IsDisabled(settings, nameof(ScheduledTrainingPipeline)));
        Assert.False(FunctionSwitches.IsDisabled(settings, nameof(EncodeStagedComments)));
        Assert.Equal([nameof(ScheduledTrainingPipeline)], LocalFunctionTriggers.HostTimers(new EncodingTimerOptions { OwnProcess = true }).Select(t => t.Name));
    }

    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
