using Microsoft.Extensions.Hosting;
using RLDistributed.Coordinator.Rendezvous;

namespace RLDistributed.Coordinator.Health;

/// <summary>Checks every heartbeat interval whether a worker has gone silent (design.md, Faults).</summary>
public sealed class LivenessMonitor(RunState run, CoordinatorOptions options, TimeProvider time) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false)) run.CheckLiveness();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
