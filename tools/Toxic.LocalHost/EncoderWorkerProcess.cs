using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace ToxicFunctions.LocalHost;

/// <summary>
/// Starts and supervises the encoder worker (<see cref="EncoderWorker"/>) when encoding runs in its own process: the same
/// binary and arguments as this host plus the worker role, at nice <see cref="EncodingTimerOptions.Nice"/> (through
/// coreutils' <c>nice</c>, so every thread of the worker has it from its first instruction). A worker that exits is
/// restarted; the worker is killed when the host stops, and stops itself when the host's process is gone.
/// </summary>
internal sealed class EncoderWorkerProcess(
    LocalHostArguments arguments, IOptions<EncodingTimerOptions> options, ILogger<EncoderWorkerProcess> logger) : BackgroundService
{
    private const string NiceProgram = "/usr/bin/nice";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled || !settings.OwnProcess)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            Process? process = null;
            try
            {
                process = Process.Start(StartInfo(settings)) ?? throw new InvalidOperationException("The encoder worker did not start.");
                logger.LogInformation("Encoder worker started (pid {Pid}, nice {Nice})", process.Id, settings.Nice);
                await process.WaitForExitAsync(stoppingToken);
                logger.LogError("The encoder worker (pid {Pid}) exited with code {Code}; restarting in {Delay}", process.Id, process.ExitCode, settings.RestartDelay);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                process?.Kill(entireProcessTree: true);
                await (process?.WaitForExitAsync(CancellationToken.None) ?? Task.CompletedTask);
                return;
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // The host keeps serving; staged comments wait for the worker (training encodes what is missing).
                logger.LogError(e, "The encoder worker could not be started; trying again in {Delay}", settings.RestartDelay);
            }
            finally
            {
                process?.Dispose();
            }

            await Task.Delay(settings.RestartDelay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private ProcessStartInfo StartInfo(EncodingTimerOptions settings)
    {
        var dll = typeof(EncoderWorker).Assembly.Location;
        var dotnet = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        var nice = settings.Nice > 0 && File.Exists(NiceProgram);
        if (settings.Nice > 0 && !nice)
        {
            logger.LogWarning("{Nice} is missing: the encoder worker runs at the host's CPU priority", NiceProgram);
        }

        var start = new ProcessStartInfo(nice ? NiceProgram : dotnet) { UseShellExecute = false, WorkingDirectory = AppContext.BaseDirectory };
        if (nice)
        {
            start.ArgumentList.Add("-n");
            start.ArgumentList.Add(Math.Clamp(settings.Nice, 1, 19).ToString(System.Globalization.CultureInfo.InvariantCulture));
            start.ArgumentList.Add(dotnet);
        }

        start.ArgumentList.Add(dll);
        foreach (var argument in arguments.Values)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add(EncoderWorker.RoleArgument);
        start.ArgumentList.Add($"--{EncoderWorker.ParentSetting}={Environment.ProcessId}");
        return start;
    }
}
