using Grpc.Core;
using Microsoft.Extensions.Logging;
using RLDistributed.Protos.V1;

namespace RLDistributed.Worker.Coordination;

/// <summary>
/// Beats on its own task for the worker's whole life, never blocked by a long step (design.md, Faults): the
/// coordinator declares a worker dead after missed beats. A stop in the reply cancels the run; a reform
/// cancels the current generation, so that a rank stuck in a collective with a dead peer lets go at once.
/// </summary>
public sealed class HeartbeatLoop(CoordinatorLink link, string workerId, TimeSpan interval, TimeProvider time, ILogger logger)
{
    private readonly Lock _gate = new();
    private long _step;
    private Membership? _membership;

    /// <summary>The step the last beat reported.</summary>
    public long Step => Interlocked.Read(ref _step);

    /// <summary>The step the next beat reports.</summary>
    public void SetStep(long step) => Interlocked.Exchange(ref _step, step);

    /// <summary>Beats for <paramref name="assignment"/>'s generation from now on; cancelling <paramref name="generation"/> asks this worker to rejoin.</summary>
    public void Enter(Assignment assignment, CancellationTokenSource generation)
    {
        lock (_gate) _membership = new Membership(assignment.RunId, assignment.Generation, assignment.Rank, generation);
    }

    /// <summary>Beats until cancelled; cancels <paramref name="stopRun"/> when the coordinator says stop.</summary>
    public async Task RunAsync(CancellationTokenSource stopRun, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                Membership? membership;
                lock (_gate) membership = _membership;
                if (membership is null) continue;
                try
                {
                    var beat = new HeartbeatRequest { RunId = membership.RunId, Generation = membership.Generation, Rank = membership.Rank, Step = Step, WorkerId = workerId };
                    var reply = await link.HeartbeatAsync(beat, cancellationToken).ConfigureAwait(false);
                    if (reply.Stop)
                    {
                        WorkerLog.StopRequested(logger, membership.RunId, membership.Rank);
                        await stopRun.CancelAsync().ConfigureAwait(false);
                        return;
                    }
                    if (reply.Reform && !membership.Abandon.IsCancellationRequested)
                    {
                        WorkerLog.ReformRequested(logger, membership.RunId, membership.Rank, membership.Generation, reply.Generation);
                        await membership.Abandon.CancelAsync().ConfigureAwait(false);
                    }
                }
                catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.NotFound or StatusCode.FailedPrecondition)
                {
                    // The coordinator may be restarting; training goes on and the next beat tries again.
                    WorkerLog.HeartbeatFailed(logger, membership.RunId, membership.Rank, e.Status.Detail);
                }
                catch (ObjectDisposedException)
                {
                    // The generation ended while the beat was in flight.
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private sealed record Membership(string RunId, long Generation, int Rank, CancellationTokenSource Abandon);
}
