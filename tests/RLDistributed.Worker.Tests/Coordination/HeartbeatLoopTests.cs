using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using RLDistributed.Protos.V1;
using RLDistributed.Worker.Coordination;

namespace RLDistributed.Worker.Tests.Coordination;

/// <summary>
/// The heartbeat loop against a real gRPC coordinator endpoint (Kestrel on 127.0.0.1) whose heartbeat replies wait:
/// stopping the loop while a beat is in flight ends it quietly. A worker that finished its run stops its heartbeat
/// this way, and the gRPC client's "call cancelled" used to escape and crash the process at exit.
/// </summary>
public sealed class HeartbeatLoopTests
{
    [Fact]
    public async Task RunAsync_StoppedWhileABeatIsInFlight_EndsWithoutError()
    {
        var coordinator = new SlowHeartbeats();
        await using var server = await CoordinatorServer.StartAsync(coordinator);
        await using var link = new CoordinatorLink(server.Address, TimeProvider.System);
        var loop = new HeartbeatLoop(link, "worker-a", TimeSpan.FromMilliseconds(10), TimeProvider.System, NullLogger.Instance);
        using var generation = new CancellationTokenSource();
        loop.Enter(new Assignment { RunId = "run", Generation = 1, Rank = 0, WorldSize = 1 }, generation);
        using var stopRun = new CancellationTokenSource();
        using var stop = new CancellationTokenSource();

        var beating = loop.RunAsync(stopRun, stop.Token);
        var beat = await coordinator.Received.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();

        await beating.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("worker-a", beat.WorkerId);
        Assert.False(stopRun.IsCancellationRequested);
        Assert.False(generation.IsCancellationRequested);
    }

    /// <summary>A coordinator that answers a heartbeat only when the caller gives up on it.</summary>
    private sealed class SlowHeartbeats : Protos.V1.Coordinator.CoordinatorBase
    {
        public TaskCompletionSource<HeartbeatRequest> Received { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task<HeartbeatReply> Heartbeat(HeartbeatRequest request, ServerCallContext context)
        {
            Received.TrySetResult(request);
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            return new HeartbeatReply();
        }
    }
}
