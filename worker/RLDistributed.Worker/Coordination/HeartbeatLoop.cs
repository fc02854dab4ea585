using Grpc.Core;
using Microsoft.Extensions.Logging;
using RLDistributed.Protos.V1;

namespace RLDistributed.Worker.Coordination;

/// <summary>
/// Beats on its own task, never blocked by a long step (design.md, Faults): the coordinator declares a
/// worker dead after missed beats, and a stop in the reply cancels this worker's run.
/// </summary>
public sealed class HeartbeatLoop(CoordinatorLink link, TimeSpan interval, TimeProvider time, ILogger logger)
{
    private long _step;

    /// <summary>The step the last beat reported.</summary>
    public long Step => Interlocked.Read(ref _step);

    /// <summary>The step the next beat reports.</summary>
    public void SetStep(long step) => Interlocked.Exchange(ref _step, step);

    /// <summary>Beats until cancelled; cancels <paramref name="stopRun"/> when the coordinator says stop.</summary>
    public async Task RunAsync(string runId, long generation, int rank, CancellationTokenSource stopRun, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    var beat = new HeartbeatRequest { RunId = runId, Generation = generation, Rank = rank, Step = Interlocked.Read(ref _step) };
                    if (await link.HeartbeatAsync(beat, cancellationToken).ConfigureAwait(false))
                    {
                        WorkerLog.StopRequested(logger, runId, rank);
                        await stopRun.CancelAsync().ConfigureAwait(false);
                        return;
                    }
                }
                catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
                {
                    WorkerLog.HeartbeatFailed(logger, runId, rank, e.Status.Detail);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
