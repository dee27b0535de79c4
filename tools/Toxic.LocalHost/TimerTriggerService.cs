using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

using ToxicFunctions.Telemetry;

namespace ToxicFunctions.LocalHost;

/// <summary>
/// Runs timer-triggered functions on the schedules of their attributes, as the Functions host's timer trigger does: one
/// invocation at a time per function, the next occurrence computed when the last one ends (a late start is past due),
/// <see cref="TimerInfo"/> with the last and next occurrence, and the <c>[DurableClient]</c> where one is declared. A
/// failed invocation is logged and the schedule goes on.
/// </summary>
/// <param name="services">Resolves the function classes and their bindings.</param>
/// <param name="configuration">Resolves <c>%setting%</c> schedules and the functions' Disabled switches.</param>
/// <param name="functions">The timer functions this process runs.</param>
/// <param name="logger">Where each invocation and failure is logged.</param>
internal sealed class TimerTriggerService(IServiceProvider services, IConfiguration configuration, IEnumerable<TimerFunction> functions, ILogger<TimerTriggerService> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Schedules and bindings are checked for every function before any runs, so a bad one stops the host at start.
        var timers = functions.Where(f => !FunctionSwitches.IsDisabled(configuration, f.Name))
            .Select(f => (Function: f, Schedule: TimerSchedule.Parse(f.Schedule, configuration), Binders: f.Method.GetParameters().Select(p => Binder(f, p)).ToArray()))
            .ToList();
        return Task.WhenAll(timers.Select(t => RunAsync(t.Function, t.Schedule, t.Binders, stoppingToken)));
    }

    private async Task RunAsync(TimerFunction function, TimerSchedule schedule, Func<TimerInfo, CancellationToken, IServiceProvider, object?>[] binders, CancellationToken stoppingToken)
    {
        logger.LogInformation("Timer trigger {Function} runs on schedule '{Schedule}'", function.Name, schedule.Expression);
        DateTime? last = null;
        var next = function.RunOnStartup ? DateTime.UtcNow : schedule.GetNextOccurrence(DateTime.UtcNow);
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = next - DateTime.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            var started = DateTime.UtcNow;
            var following = schedule.GetNextOccurrence(started);
            var timer = new TimerInfo
            {
                IsPastDue = started - next > TimeSpan.FromSeconds(1),
                ScheduleStatus = new ScheduleStatus { Last = last ?? default, Next = following, LastUpdated = started },
            };
            using var activity = InvocationActivity.Start(function.Name, "timer");
            try
            {
                await using var scope = services.CreateAsyncScope();
                var instance = function.Method.IsStatic ? null : ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, function.Method.DeclaringType!);
                await (Task)function.Method.Invoke(instance, [.. binders.Select(bind => bind(timer, stoppingToken, scope.ServiceProvider))])!;
            }
            catch (Exception e) when (stoppingToken.IsCancellationRequested && e is OperationCanceledException or TargetInvocationException { InnerException: OperationCanceledException })
            {
                return;
            }
            catch (Exception e)
            {
                ToxicTracing.Fail(activity, e is TargetInvocationException { InnerException: { } cause } ? cause : e);
                logger.LogError(e is TargetInvocationException { InnerException: { } inner } ? inner : e, "Timer trigger {Function} failed; next run at {Next:O}", function.Name, following);
            }

            last = started;
            next = schedule.GetNextOccurrence(DateTime.UtcNow);
        }
    }

    private static Func<TimerInfo, CancellationToken, IServiceProvider, object?> Binder(TimerFunction function, ParameterInfo parameter)
    {
        if (parameter.GetCustomAttribute<TimerTriggerAttribute>() is not null && parameter.ParameterType == typeof(TimerInfo))
        {
            return static (timer, _, _) => timer;
        }

        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return static (_, cancellationToken, _) => cancellationToken;
        }

        if (parameter.GetCustomAttribute<DurableClientAttribute>() is not null && parameter.ParameterType == typeof(DurableTaskClient))
        {
            return static (_, _, services) => services.GetRequiredService<DurableTaskClient>();
        }

        throw new InvalidOperationException(
            $"The local host cannot run timer function {function.Name}: parameter '{parameter.Name}' ({parameter.ParameterType.Name}) has no binding this host knows.");
    }
}
